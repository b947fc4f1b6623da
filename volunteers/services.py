"""Writes on volunteer teams, memberships, projects, patrol areas, chief posts and service records.

Micro-wishes have their own module, volunteers.wish_services. Scope is the caller's business: views pass
only objects the user may see (volunteers.scoping); these functions keep the rules of the records.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import delete_photo_files_on_commit, save_photos
from core.trees import tree_choices_changed
from volunteers.models import (
    LEVEL_RANK,
    ChiefPost,
    PatrolArea,
    ServiceProject,
    ServiceRecord,
    ServiceRecordPhoto,
    TeamMembership,
    VolunteerTeam,
)

_TREE_FIELDS = ["path", "depth", "numchild"]
_TEAM_FIELDS = {"name", "level", "area", "founded_on", "dissolved_on", "leader", "branch"}
_PROJECT_FIELDS = {"name", "team", "description", "started_on", "is_active"}
_PATROL_AREA_FIELDS = {"kind", "name", "area", "description"}
_CHIEF_POST_FIELDS = {"appointed_on", "ended_on", "team"}
_RECORD_FIELDS = {
    "team",
    "chief_post",
    "project",
    "served_on",
    "kind",
    "hours",
    "volunteers_present",
    "people_served",
    "problems_found",
    "problems_resolved",
    "notes",
}


def _refuse_unknown(function: str, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


def _not_in_future(day: dt.date | None, field: str, message: str, errors: dict) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = message


def _level_errors(team: VolunteerTeam, parent: VolunteerTeam | None, children_levels: list[str]) -> dict:
    """A team sits at a lower level than its parent and a higher one than its sub-teams."""
    rank = LEVEL_RANK.get(team.level)
    if rank is None:
        return {}  # full_clean names the unknown level
    if parent is not None and rank <= LEVEL_RANK[parent.level]:
        return {
            "level": _("A team under a %(parent)s must be at a lower level than it.")
            % {"parent": parent.get_level_display()}
        }
    if any(rank >= LEVEL_RANK[level] for level in children_levels):
        return {"level": _("A team must be at a higher level than its sub-teams.")}
    return {}


@transaction.atomic
def team_create(*, name: str, level: str, parent: VolunteerTeam | None = None, **fields) -> VolunteerTeam:
    """Create a volunteer team under `parent` (or a root team such as a city's corps)."""
    _refuse_unknown("team_create", fields, _TEAM_FIELDS)
    team = VolunteerTeam(name=name, level=level, **fields)
    if parent is not None:
        # Re-read the parent: its numchild and last child may have changed since it was loaded.
        parent = VolunteerTeam.objects.get(pk=parent.pk)
    errors = _level_errors(team, parent, [])
    if parent is not None and parent.dissolved_on is not None:
        errors["parent"] = _("The team %(name)s was dissolved on %(date)s.") % {
            "name": parent.name,
            "date": parent.dissolved_on,
        }
    if errors:
        raise ValidationError(errors)
    team.full_clean(exclude=_TREE_FIELDS)
    transaction.on_commit(tree_choices_changed)
    if parent is None:
        return VolunteerTeam.objects.add_root(instance=team)
    return VolunteerTeam.objects.add_child(parent, instance=team)


@transaction.atomic
def team_update(*, team: VolunteerTeam, **fields) -> VolunteerTeam:
    """Change a team's own fields; its place in the tree is not changed here."""
    _refuse_unknown("team_update", fields, _TEAM_FIELDS)
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    for name, value in fields.items():
        setattr(team, name, value)
    below = VolunteerTeam.objects.filter(path__startswith=team.path, depth=team.depth + 1)
    children = list(below.values_list("level", flat=True))
    parent = (
        VolunteerTeam.objects.filter(path=team.path[: -VolunteerTeam.steplen]).first()
        if team.depth > 1
        else None
    )
    errors = _level_errors(team, parent, children)
    if errors:
        raise ValidationError(errors)
    team.full_clean(exclude=_TREE_FIELDS)
    team.save()
    transaction.on_commit(tree_choices_changed)
    return team


@transaction.atomic
def membership_add(*, team: VolunteerTeam, cadre, joined_on: dt.date) -> TeamMembership:
    """Enrol `cadre` in `team` from `joined_on`."""
    errors = {}
    _not_in_future(joined_on, "joined_on", _("The joining date cannot be in the future."), errors)
    if team.dissolved_on is not None and joined_on > team.dissolved_on:
        errors["joined_on"] = _("The team was dissolved on %(date)s.") % {"date": team.dissolved_on}
    if cadre.deceased_on is not None and joined_on >= cadre.deceased_on:
        errors["cadre"] = _("%(name)s died on %(date)s.") % {"name": cadre.name, "date": cadre.deceased_on}
    elif TeamMembership.objects.filter(team=team, cadre=cadre, left_on__isnull=True).exists():
        errors["cadre"] = _("%(name)s is already a member of this team.") % {"name": cadre.name}
    if errors:
        raise ValidationError(errors)
    membership = TeamMembership(team=team, cadre=cadre, joined_on=joined_on)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: TeamMembership, left_on: dt.date) -> TeamMembership:
    """Close an open membership on `left_on`; the row stays as history."""
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    errors = {}
    if membership.left_on is not None:
        errors["left_on"] = _("This membership already ended on %(date)s.") % {"date": membership.left_on}
    elif left_on < membership.joined_on:
        errors["left_on"] = _("The leaving date is before the member joined (%(date)s).") % {
            "date": membership.joined_on
        }
    else:
        _not_in_future(left_on, "left_on", _("The leaving date cannot be in the future."), errors)
    if errors:
        raise ValidationError(errors)
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on"])
    return membership


@transaction.atomic
def project_create(*, name: str, team: VolunteerTeam, **fields) -> ServiceProject:
    """Register a named service project (a brand) of `team`."""
    _refuse_unknown("project_create", fields, _PROJECT_FIELDS)
    project = ServiceProject(name=name, team=team, **fields)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_update(*, project: ServiceProject, **fields) -> ServiceProject:
    """Change the given fields of `project`."""
    _refuse_unknown("project_update", fields, _PROJECT_FIELDS)
    project = ServiceProject.objects.select_for_update().get(pk=project.pk)
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def patrol_area_create(*, kind: str, name: str, area, description: str = "") -> PatrolArea:
    """Register a river, road or grid that chiefs can be appointed to."""
    patrol_area = PatrolArea(kind=kind, name=name, area=area, description=description)
    patrol_area.full_clean()
    patrol_area.save()
    return patrol_area


@transaction.atomic
def patrol_area_update(*, patrol_area: PatrolArea, **fields) -> PatrolArea:
    """Change the given fields of `patrol_area`."""
    _refuse_unknown("patrol_area_update", fields, _PATROL_AREA_FIELDS)
    patrol_area = PatrolArea.objects.select_for_update().get(pk=patrol_area.pk)
    for name, value in fields.items():
        setattr(patrol_area, name, value)
    patrol_area.full_clean()
    patrol_area.save()
    return patrol_area


@transaction.atomic
def chief_appoint(
    *,
    cadre,
    patrol_area: PatrolArea,
    appointed_on: dt.date,
    team: VolunteerTeam | None = None,
    ended_on: dt.date | None = None,
) -> ChiefPost:
    """Appoint `cadre` chief of `patrol_area` (river, road or grid chief by the area's kind); with
    `ended_on`, record a past appointment, which may sit beside the cadre's current one."""
    errors = {}
    _not_in_future(appointed_on, "appointed_on", _("The appointment date cannot be in the future."), errors)
    if ended_on is not None:
        if ended_on < appointed_on:
            errors["ended_on"] = _("The post cannot end before the appointment (%(date)s).") % {
                "date": appointed_on
            }
        else:
            _not_in_future(ended_on, "ended_on", _("The end date cannot be in the future."), errors)
    held = ChiefPost.objects.filter(cadre=cadre, patrol_area=patrol_area)
    if cadre.deceased_on is not None and appointed_on >= cadre.deceased_on:
        errors["cadre"] = _("%(name)s died on %(date)s.") % {"name": cadre.name, "date": cadre.deceased_on}
    elif ended_on is None and held.filter(ended_on__isnull=True).exists():
        errors["cadre"] = _("%(name)s already holds this post.") % {"name": cadre.name}
    elif ended_on is not None and "ended_on" not in errors:
        # A past term may not overlap another term of the same post.
        overlapping = held.filter(appointed_on__lte=ended_on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=appointed_on)
        )
        if overlapping.exists():
            errors["cadre"] = _("%(name)s held this post during part of that time already.") % {
                "name": cadre.name
            }
    if (
        team is not None
        and team.dissolved_on is not None
        and (ended_on is None or ended_on > team.dissolved_on)
    ):
        errors["team"] = _("The team was dissolved on %(date)s.") % {"date": team.dissolved_on}
    if errors:
        raise ValidationError(errors)
    post = ChiefPost(
        cadre=cadre, patrol_area=patrol_area, appointed_on=appointed_on, ended_on=ended_on, team=team
    )
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def chief_post_update(*, post: ChiefPost, **fields) -> ChiefPost:
    """Change a post's dates or team; ending it keeps the post and its records as history."""
    _refuse_unknown("chief_post_update", fields, _CHIEF_POST_FIELDS)
    post = ChiefPost.objects.select_for_update().get(pk=post.pk)
    for name, value in fields.items():
        setattr(post, name, value)
    errors = {}
    if post.ended_on is not None:
        if post.ended_on < post.appointed_on:
            errors["ended_on"] = _("The post cannot end before the appointment (%(date)s).") % {
                "date": post.appointed_on
            }
        elif post.service_records.filter(served_on__gt=post.ended_on).exists():
            errors["ended_on"] = _("Service was recorded on this post after that date.")
        else:
            _not_in_future(post.ended_on, "ended_on", _("The end date cannot be in the future."), errors)
    if post.service_records.filter(served_on__lt=post.appointed_on).exists():
        errors["appointed_on"] = _("Service was recorded on this post before that date.")
    if errors:
        raise ValidationError(errors)
    post.full_clean()
    post.save()
    return post


def _record_errors(record: ServiceRecord) -> dict:
    """The rules a service record keeps beyond its fields' own: who served, when, which project."""
    errors = {}
    team, post = record.team, record.chief_post
    if (team is None) == (post is None):
        errors["team"] = _("A service record is either a team's or a chief's: give one of them.")
    served_on = record.served_on
    if served_on is None:
        return errors  # full_clean reports the missing date
    _not_in_future(served_on, "served_on", _("A service cannot be recorded before it happens."), errors)
    if team is not None and team.dissolved_on is not None and served_on > team.dissolved_on:
        errors["served_on"] = _("The team was dissolved on %(date)s.") % {"date": team.dissolved_on}
    if post is not None and (
        served_on < post.appointed_on or (post.ended_on is not None and served_on > post.ended_on)
    ):
        errors["served_on"] = _("The chief held this post from %(start)s to %(end)s.") % {
            "start": post.appointed_on,
            "end": post.ended_on or _("now"),
        }
    if record.project is not None:
        owner_id = team.pk if team is not None else (post.team_id if post is not None else None)
        if record.project.team_id != owner_id:
            errors["project"] = _("This project belongs to another team.")
    return errors


@transaction.atomic
def record_create(*, served_on: dt.date, kind: str, recorded_by=None, **fields) -> ServiceRecord:
    """Record one round of service by a team or by a chief on their post."""
    _refuse_unknown("record_create", fields, _RECORD_FIELDS)
    record = ServiceRecord(served_on=served_on, kind=kind, recorded_by=recorded_by, **fields)
    errors = _record_errors(record)
    if errors:
        raise ValidationError(errors)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_update(*, record: ServiceRecord, **fields) -> ServiceRecord:
    """Change a recorded round of service."""
    _refuse_unknown("record_update", fields, _RECORD_FIELDS)
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    for name, value in fields.items():
        setattr(record, name, value)
    errors = _record_errors(record)
    if errors:
        raise ValidationError(errors)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_add_photos(*, record: ServiceRecord, files, uploaded_by=None) -> list[ServiceRecordPhoto]:
    """Store the uploaded photos of `record`; one bad file stores none."""
    return save_photos(
        files=files, new_photo=lambda: ServiceRecordPhoto(record=record, uploaded_by=uploaded_by)
    )


@transaction.atomic
def record_delete(*, record: ServiceRecord) -> None:
    """Delete a service record with its photos, and the photo files once committed."""
    delete_photo_files_on_commit(list(record.photos.all()))
    record.delete()


@transaction.atomic
def team_leader_assign(*, user, team: VolunteerTeam):
    """Make `user` the volunteer team leader of `team`: they then see it and the teams below it."""
    from accounts.models import Role
    from accounts.services import user_set_role

    return user_set_role(user=user, role=Role.TEAM_LEADER, volunteer_team=team)
