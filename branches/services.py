"""Writes on areas, branches, officers and memberships."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Area,
    Attendance,
    Branch,
    BranchMembership,
    BranchOfficer,
)
from core.dates import years_after
from core.images import delete_photo_files_on_commit, save_photos
from core.trees import tree_choices_changed

_TREE_FIELDS = ["path", "depth", "numchild"]


def _tree_insert(node, parent):
    """Validate `node` and place it under `parent` (or at the root) of its tree."""
    node.full_clean(exclude=_TREE_FIELDS)
    transaction.on_commit(tree_choices_changed)
    manager = type(node).objects
    if parent is None:
        return manager.add_root(instance=node)
    # Re-read the parent: its numchild and last child may have changed since it was loaded.
    return manager.add_child(manager.get(pk=parent.pk), instance=node)


@transaction.atomic
def area_create(*, name: str, kind: str, parent: Area | None = None, code: str = "") -> Area:
    """Create an area under `parent` (or a root area)."""
    return _tree_insert(Area(name=name, kind=kind, code=code), parent)


@transaction.atomic
def branch_create(*, name: str, kind: str, parent: Branch | None = None, **fields) -> Branch:
    """Create a Party organisation under `parent` (or a root organisation)."""
    return _tree_insert(Branch(name=name, kind=kind, **fields), parent)


@transaction.atomic
def branch_update(*, branch: Branch, **fields) -> Branch:
    """Change a branch's own fields; its place in the tree is not changed here."""
    for name, value in fields.items():
        setattr(branch, name, value)
    branch.full_clean(exclude=_TREE_FIELDS)
    branch.save()
    transaction.on_commit(tree_choices_changed)
    return branch


@transaction.atomic
def officer_appoint(
    *, branch: Branch, cadre, role: str, term_start: dt.date, term_end: dt.date | None = None
) -> BranchOfficer:
    """Appoint `cadre` to a post in `branch` for one term (the branch's term length by default)."""
    # Re-read: the caller may hold a copy loaded before the tree changed.
    branch = Branch.objects.get(pk=branch.pk)
    if term_end is None:
        term_end = years_after(term_start, branch.term_years)
    if (
        cadre.branch_id is None
        or not Branch.objects.filter(pk=cadre.branch_id, path__startswith=branch.path).exists()
    ):
        raise ValidationError({"cadre": _("An officer must be a current member of this branch.")})
    officer = BranchOfficer(branch=branch, cadre=cadre, role=role, term_start=term_start, term_end=term_end)
    officer.full_clean()
    officer.save()
    return officer


@transaction.atomic
def officer_update(*, officer: BranchOfficer, term_end: dt.date) -> BranchOfficer:
    """Change when an officer's term ends (a term cut short, or extended until the 换届)."""
    officer.term_end = term_end
    officer.full_clean()
    officer.save(update_fields=["term_end", "updated_at"])
    return officer


@transaction.atomic
def membership_transfer(*, cadre, branch: Branch, on: dt.date) -> BranchMembership:
    """Move `cadre` into `branch` from `on`, closing the current membership; history is kept."""
    from cadres.models import Cadre

    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if branch.dissolved_on is not None:
        raise ValidationError(
            {"branch": _("This branch was dissolved on %(date)s.") % {"date": branch.dissolved_on}}
        )
    current = BranchMembership.objects.filter(cadre=cadre, left_on__isnull=True).first()
    if current is not None:
        if current.branch_id == branch.pk:
            raise ValidationError({"branch": _("The cadre is already a member of this branch.")})
        if on < current.joined_on:
            raise ValidationError(
                {
                    "on": _("The transfer date is before the cadre joined the current branch (%(date)s).")
                    % {"date": current.joined_on}
                }
            )
        current.left_on = on
        current.save(update_fields=["left_on"])
    membership = BranchMembership(cadre=cadre, branch=branch, joined_on=on)
    membership.full_clean()
    membership.save()
    cadre.branch = branch
    cadre.save(update_fields=["branch", "updated_at"])
    return membership


@transaction.atomic
def membership_end(*, cadre, on: dt.date) -> BranchMembership | None:
    """Close the cadre's current membership on `on` (e.g. on death); they then belong to no branch."""
    from cadres.models import Cadre

    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    current = BranchMembership.objects.filter(cadre=cadre, left_on__isnull=True).first()
    if current is None:
        return None
    if on < current.joined_on:
        raise ValidationError({"on": _("The date is before the cadre joined the branch.")})
    current.left_on = on
    current.save(update_fields=["left_on"])
    cadre.branch = None
    cadre.save(update_fields=["branch", "updated_at"])
    return current


@transaction.atomic
def activity_record(
    *,
    branch: Branch,
    kind: ActivityKind,
    held_on: dt.date,
    topic: str,
    attendance: dict[int, tuple[str, str]] | None = None,
    created_by=None,
    **fields,
) -> Activity:
    """Record an activity of `branch` and one attendance row for each member on that day.

    `attendance` maps a member's cadre id to (status, leave reason); members it leaves out
    are recorded absent. Ids of people who were not members that day are refused.
    """
    errors = _activity_errors(branch=branch, kind=kind, held_on=held_on)
    members = {cadre.pk for cadre in branch_members_on(branch=branch, day=held_on)}
    attendance = attendance or {}
    strangers = set(attendance) - members
    if strangers:
        errors["attendance"] = _strangers_error(strangers)
    if errors:
        raise ValidationError(errors)
    activity = Activity(
        branch=branch, kind=kind, held_on=held_on, topic=topic, created_by=created_by, **fields
    )
    activity.full_clean()
    activity.save()
    rows = [
        _attendance_row(activity, cadre_id, *attendance.get(cadre_id, (Attendance.Status.ABSENT, "")))
        for cadre_id in sorted(members)
    ]
    Attendance.objects.bulk_create(rows)
    activity_tally(activity=activity)
    return activity


def activity_tally(*, activity: Activity) -> Activity:
    """Count the activity's attendance rows into its tallies; call after any change to the rows."""
    counts = activity.attendance.aggregate(
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)), roll=Count("pk")
    )
    activity.present_count, activity.roll_count = counts["present"], counts["roll"]
    Activity.objects.filter(pk=activity.pk).update(present_count=counts["present"], roll_count=counts["roll"])
    return activity


def _activity_errors(*, branch: Branch, kind: ActivityKind | None, held_on: dt.date) -> dict:
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("An activity cannot be recorded before it is held.")
    if branch.dissolved_on is not None and held_on > branch.dissolved_on:
        errors["held_on"] = _("The branch was dissolved on %(date)s.") % {"date": branch.dissolved_on}
    if kind is not None and not kind.is_active:
        errors["kind"] = _("This kind of activity is no longer in use.")
    return errors


def _attendance_row(activity: Activity, cadre_id: int, status: str, reason: str) -> Attendance:
    row = Attendance(activity=activity, cadre_id=cadre_id, status=status, leave_reason=reason or "")
    if row.status == Attendance.Status.LEAVE and not row.leave_reason:
        raise ValidationError({"attendance": _("Give the reason for each member on leave.")})
    if row.status != Attendance.Status.LEAVE:
        row.leave_reason = ""
    row.full_clean(exclude=["activity", "cadre"], validate_constraints=False)
    return row


def _strangers_error(strangers: set[int]) -> str:
    return _("Only members of the branch on that day can be marked: %(ids)s.") % {
        "ids": ", ".join(str(pk) for pk in sorted(strangers))
    }


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    attendance: dict[int, tuple[str, str]] | None = None,
    **fields,
) -> Activity:
    """Change a recorded activity and its attendance.

    `attendance` maps a member's cadre id to (status, leave reason); members it leaves out keep
    their recorded status. When the date moves, the roster follows it: members of the branch on
    the new day are kept or added (absent), and people who were not members that day are dropped.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    kept_kind = activity.kind_id
    for name, value in fields.items():
        setattr(activity, name, value)
    # A kind retired since the activity was held stays valid on it; only a new choice must be in use.
    new_kind = activity.kind if activity.kind_id != kept_kind else None
    errors = _activity_errors(branch=activity.branch, kind=new_kind, held_on=activity.held_on)
    members = {cadre.pk for cadre in branch_members_on(branch=activity.branch, day=activity.held_on)}
    attendance = attendance or {}
    strangers = set(attendance) - members
    if strangers:
        errors["attendance"] = _strangers_error(strangers)
    if errors:
        raise ValidationError(errors)
    activity.full_clean()
    activity.save()
    recorded = {row.cadre_id: row for row in activity.attendance.all()}
    activity.attendance.exclude(cadre_id__in=members).delete()
    changed, added = [], []
    for cadre_id in sorted(members):
        old = recorded.get(cadre_id)
        default = (old.status, old.leave_reason) if old else (Attendance.Status.ABSENT, "")
        row = _attendance_row(activity, cadre_id, *attendance.get(cadre_id, default))
        if old is None:
            added.append(row)
        elif (row.status, row.leave_reason) != (old.status, old.leave_reason):
            old.status, old.leave_reason = row.status, row.leave_reason
            changed.append(old)
    Attendance.objects.bulk_update(changed, ["status", "leave_reason"])
    Attendance.objects.bulk_create(added)
    return activity_tally(activity=activity)


def branch_members_on(*, branch: Branch, day: dt.date):
    """Cadres who belonged to exactly `branch` on `day` and were alive."""
    from cadres.models import Cadre

    member_then = (
        Q(memberships__branch=branch)
        & Q(memberships__joined_on__lte=day)
        & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=day))
    )
    alive = Q(deceased_on__isnull=True) | Q(deceased_on__gt=day)
    return Cadre.objects.filter(member_then, alive).distinct().order_by("id")


@transaction.atomic
def activity_add_photos(*, activity: Activity, files, uploaded_by=None) -> list[ActivityPhoto]:
    """Store the uploaded photos of `activity`; one bad file stores none."""
    return save_photos(
        files=files, new_photo=lambda: ActivityPhoto(activity=activity, uploaded_by=uploaded_by)
    )


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    """Delete an activity with its attendance and photos, and the photo files once committed."""
    delete_photo_files_on_commit(list(activity.photos.all()))
    activity.delete()
