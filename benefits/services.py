"""Writes on occasions (六必访), visits and one-to-one contact."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from benefits.models import (
    ROUTINE,
    CondolenceCampaign,
    CondolenceTarget,
    ContactAssignment,
    ContactLog,
    HealthCheck,
    MedalAward,
    Occasion,
    SanatoriumTrip,
    Visit,
    VisitPhoto,
)
from benefits.rules import party_50_years_cutoff, visit_due_days
from branches.models import Area, Branch
from cadres.models import Cadre
from core.images import delete_photo_files_on_commit, save_photos
from reminders.services import close_reminders


def _not_future(field: str, day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date is in the future.")})


# Occasions


@transaction.atomic
def occasion_record(*, cadre, kind: str, occurred_on: dt.date, note: str = "", recorded_by=None) -> Occasion:
    """Record an occasion of `cadre` that requires a visit, due the configured days after it.

    Recording the same cadre, kind and day again returns the occasion already recorded, so the
    reminder engine may call this twice.
    """
    if kind not in Occasion.Kind.values:
        raise ValidationError({"kind": _("Choose one of the six occasions.")})
    existing = Occasion.objects.filter(cadre=cadre, kind=kind, occurred_on=occurred_on).first()
    if existing is not None:
        return existing
    _not_future("occurred_on", occurred_on)
    if cadre.deceased_on is not None and kind != Occasion.Kind.DEATH:
        raise ValidationError(
            {
                "cadre": _("%(name)s has died; only the family visit after a death is recorded.")
                % {"name": cadre.name}
            }
        )
    occasion = Occasion(
        cadre=cadre,
        kind=kind,
        occurred_on=occurred_on,
        due_on=occurred_on + dt.timedelta(days=visit_due_days(kind)),
        note=note,
        recorded_by=recorded_by,
    )
    occasion.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            occasion.save()
    except IntegrityError:
        # Someone recorded it between our look and our write: theirs is the one.
        return Occasion.objects.get(cadre=cadre, kind=kind, occurred_on=occurred_on)
    return occasion


@transaction.atomic
def occasion_update(*, occasion: Occasion, kind: str, occurred_on: dt.date, note: str) -> Occasion:
    """Correct an occasion; the visit falls due the configured days after its (new) date.

    A visited occasion keeps its kind (its visit was made for it) and cannot move after its visit.
    """
    occasion = Occasion.objects.select_for_update().get(pk=occasion.pk)
    if kind not in Occasion.Kind.values:
        raise ValidationError({"kind": _("Choose one of the six occasions.")})
    first_visit = occasion.visits.order_by("visited_on").values_list("visited_on", flat=True).first()
    if first_visit is not None:
        if kind != occasion.kind:
            raise ValidationError({"kind": _("The occasion has been visited; its kind stays.")})
        if occurred_on > first_visit:
            raise ValidationError(
                {"occurred_on": _("It was visited on %(date)s.") % {"date": first_visit.isoformat()}}
            )
    _not_future("occurred_on", occurred_on)
    if (
        Occasion.objects.filter(cadre=occasion.cadre_id, kind=kind, occurred_on=occurred_on)
        .exclude(pk=occasion.pk)
        .exists()
    ):
        raise ValidationError(
            {"occurred_on": _("This occasion of the cadre is already recorded for that day.")}
        )
    occasion.kind, occasion.occurred_on, occasion.note = kind, occurred_on, note
    occasion.due_on = occurred_on + dt.timedelta(days=visit_due_days(kind))
    occasion.full_clean(validate_unique=False)
    occasion.save()
    return occasion


@transaction.atomic
def occasion_delete(*, occasion: Occasion) -> None:
    """Delete an occasion recorded in error, with its reminders; a visited one stays (its visit names it)."""
    if occasion.visits.exists():
        raise ValidationError(_("The occasion has been visited: delete its visit first."))
    occasion.delete()


# Visits


@transaction.atomic
def visit_record(
    *,
    visited_on: dt.date,
    visitors: str,
    cadre=None,
    occasion: Occasion | None = None,
    reason: str = ROUTINE,
    gift: str = "",
    condolence_money: Decimal | None = None,
    notes: str = "",
    recorded_by=None,
) -> Visit:
    """Record a visit; one for `occasion` is to its cadre, for its reason, and closes it."""
    if occasion is not None:
        if cadre is not None and cadre.pk != occasion.cadre_id:
            raise ValidationError({"cadre": _("The occasion is of another cadre.")})
        cadre, reason = occasion.cadre, occasion.kind
        if visited_on < occasion.occurred_on:
            raise ValidationError(
                {
                    "visited_on": _("The occasion was on %(date)s.")
                    % {"date": occasion.occurred_on.isoformat()}
                }
            )
    if cadre is None:
        raise ValidationError({"cadre": _("Name the cadre visited.")})
    _not_future("visited_on", visited_on)
    if condolence_money is not None and condolence_money < 0:
        raise ValidationError({"condolence_money": _("The amount cannot be negative.")})
    if cadre.deceased_on is not None and reason != Occasion.Kind.DEATH:
        raise ValidationError(
            {"reason": _("%(name)s has died; a visit now is to the family.") % {"name": cadre.name}}
        )
    visit = Visit(
        cadre=cadre,
        occasion=occasion,
        reason=reason,
        visited_on=visited_on,
        visitors=visitors,
        gift=gift,
        condolence_money=condolence_money,
        notes=notes,
        recorded_by=recorded_by,
    )
    visit.full_clean()
    visit.save()
    if occasion is not None:
        close_reminders(occasion=occasion, by=recorded_by)
    return visit


_VISIT_FIELDS = {"visited_on", "visitors", "gift", "condolence_money", "notes"}


@transaction.atomic
def visit_update(*, visit: Visit, **fields) -> Visit:
    """Change what was recorded of a visit; its cadre, occasion and reason stay."""
    unknown = set(fields) - _VISIT_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    visit = Visit.objects.select_for_update(of=("self",)).select_related("occasion").get(pk=visit.pk)
    for name, value in fields.items():
        setattr(visit, name, value)
    if visit.occasion and visit.visited_on < visit.occasion.occurred_on:
        raise ValidationError(
            {
                "visited_on": _("The occasion was on %(date)s.")
                % {"date": visit.occasion.occurred_on.isoformat()}
            }
        )
    _not_future("visited_on", visit.visited_on)
    if visit.condolence_money is not None and visit.condolence_money < 0:
        raise ValidationError({"condolence_money": _("The amount cannot be negative.")})
    visit.full_clean()
    visit.save()
    return visit


def visit_add_photos(*, visit: Visit, files, uploaded_by=None) -> list[VisitPhoto]:
    """Store the uploaded photos of `visit`; one bad file stores none."""
    with transaction.atomic():
        return save_photos(files=files, new_photo=lambda: VisitPhoto(visit=visit, uploaded_by=uploaded_by))


@transaction.atomic
def visit_delete(*, visit: Visit) -> None:
    """Delete a visit with its photos, and the photo files once committed; its occasion reopens."""
    delete_photo_files_on_commit(list(visit.photos.all()))
    visit.delete()


# One-to-one contact

_STAFF_ROLES = {Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.BRANCH_SECRETARY}


@transaction.atomic
def assignment_create(
    *, staff, cadre, interval_days: int, started_on: dt.date, note: str = ""
) -> ContactAssignment:
    """Assign `staff` to keep in touch with `cadre` every `interval_days` from `started_on`."""
    if interval_days is None or interval_days <= 0:
        raise ValidationError({"interval_days": _("The interval must be at least one day.")})
    _not_future("started_on", started_on)
    if not staff.is_active or staff.role not in _STAFF_ROLES:
        raise ValidationError({"staff": _("Choose a member of the bureau's staff or a branch secretary.")})
    if cadre.deceased_on is not None:
        raise ValidationError({"cadre": _("%(name)s has died.") % {"name": cadre.name}})
    if ContactAssignment.objects.select_for_update().filter(cadre=cadre, ended_on__isnull=True).exists():
        raise ValidationError(
            {"cadre": _("%(name)s already has a contact; end that one first.") % {"name": cadre.name}}
        )
    assignment = ContactAssignment(
        staff=staff, cadre=cadre, interval_days=interval_days, started_on=started_on, note=note
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_end(*, assignment: ContactAssignment, ended_on: dt.date) -> ContactAssignment:
    """End an assignment on `ended_on`; its contacts are kept."""
    assignment = ContactAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise ValidationError({"ended_on": _("This assignment has already ended.")})
    if ended_on < assignment.started_on:
        raise ValidationError(
            {
                "ended_on": _("The assignment started on %(date)s.")
                % {"date": assignment.started_on.isoformat()}
            }
        )
    _not_future("ended_on", ended_on)
    assignment.ended_on = ended_on
    assignment.full_clean()
    assignment.save(update_fields=["ended_on", "updated_at"])
    close_reminders(assignment=assignment)
    return assignment


@transaction.atomic
def contact_log_record(
    *, assignment: ContactAssignment, contacted_on: dt.date, method: str, note: str = "", recorded_by=None
) -> ContactLog:
    """Record one contact under `assignment`, within its dates."""
    if contacted_on < assignment.started_on:
        raise ValidationError(
            {
                "contacted_on": _("The assignment started on %(date)s.")
                % {"date": assignment.started_on.isoformat()}
            }
        )
    if assignment.ended_on is not None and contacted_on > assignment.ended_on:
        raise ValidationError(
            {
                "contacted_on": _("The assignment ended on %(date)s.")
                % {"date": assignment.ended_on.isoformat()}
            }
        )
    _not_future("contacted_on", contacted_on)
    log = ContactLog(
        assignment=assignment, contacted_on=contacted_on, method=method, note=note, recorded_by=recorded_by
    )
    log.full_clean()
    log.save()
    close_reminders(assignment=assignment, by=recorded_by)
    return log


# Condolence campaigns

_CAMPAIGN_FIELDS = {"branch", "area", "retirement_type", "min_age", "max_age", "gift", "note"}


def _check_campaign(campaign: CondolenceCampaign) -> None:
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    if campaign.min_age is not None and campaign.max_age is not None and campaign.max_age < campaign.min_age:
        raise ValidationError({"max_age": _("The upper age cannot be below the lower one.")})


@transaction.atomic
def campaign_create(
    *, name: str, festival: str, starts_on: dt.date, ends_on: dt.date, **fields
) -> CondolenceCampaign:
    """Create a condolence campaign; its targets come from campaign_generate_targets."""
    unknown = set(fields) - _CAMPAIGN_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    campaign = CondolenceCampaign(
        name=name, festival=festival, starts_on=starts_on, ends_on=ends_on, **fields
    )
    _check_campaign(campaign)
    campaign.full_clean()
    campaign.save()
    return campaign


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def campaign_scope(*, campaign: CondolenceCampaign):
    """The living cadres in the campaign's scope, ages taken on its first day."""
    cadres = Cadre.objects.filter(deceased_on__isnull=True, branch__isnull=False)
    if campaign.branch_id:
        cadres = cadres.filter(
            branch__in=Branch.objects.filter(path__startswith=campaign.branch.path).values("pk")
        )
    if campaign.area_id:
        cadres = cadres.filter(area__in=Area.objects.filter(path__startswith=campaign.area.path).values("pk"))
    if campaign.retirement_type:
        cadres = cadres.filter(retirement_type=campaign.retirement_type)
    if campaign.min_age is not None:
        cadres = cadres.filter(birth_date__lte=_years_before(campaign.starts_on, campaign.min_age))
    if campaign.max_age is not None:
        # Still `max_age` on the first day: born after the day they would have turned max_age + 1.
        cadres = cadres.filter(birth_date__gt=_years_before(campaign.starts_on, campaign.max_age + 1))
    return cadres


@transaction.atomic
def campaign_generate_targets(*, campaign: CondolenceCampaign, batch_size: int = 2000) -> int:
    """Add every cadre in the campaign's scope not yet a target, in batches; returns how many were added.
    Running it again adds only cadres who came into scope since."""
    campaign = CondolenceCampaign.objects.select_for_update().get(pk=campaign.pk)
    new_ids = (
        campaign_scope(campaign=campaign)
        .exclude(pk__in=CondolenceTarget.objects.filter(campaign=campaign).values("cadre"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    added = 0
    batch = []
    for cadre_id in new_ids.iterator(chunk_size=batch_size):
        batch.append(CondolenceTarget(campaign=campaign, cadre_id=cadre_id))
        if len(batch) >= batch_size:
            added += len(CondolenceTarget.objects.bulk_create(batch))
            batch = []
    if batch:
        added += len(CondolenceTarget.objects.bulk_create(batch))
    return added


@transaction.atomic
def target_tick(
    *,
    target: CondolenceTarget,
    on: dt.date,
    visited: bool = True,
    visitors: str = "",
    gift: str = "",
    condolence_money: Decimal | None = None,
    recorded_by=None,
) -> CondolenceTarget:
    """Tick off a target: by a visit (recorded as a festival visit) or by a gift delivered on `on`."""
    target = (
        CondolenceTarget.objects.select_for_update(of=("self",))
        .select_related("campaign", "cadre")
        .get(pk=target.pk)
    )
    if target.is_done:
        raise ValidationError({"on": _("%(name)s has already been reached.") % {"name": target.cadre.name}})
    if on < target.campaign.starts_on:
        raise ValidationError(
            {"on": _("The campaign starts on %(date)s.") % {"date": target.campaign.starts_on.isoformat()}}
        )
    _not_future("on", on)
    if visited:
        if not visitors.strip():
            raise ValidationError({"visitors": _("Name who went.")})
        target.visit = visit_record(
            cadre=target.cadre,
            reason=Occasion.Kind.FESTIVAL,
            visited_on=on,
            visitors=visitors,
            gift=gift or target.campaign.gift,
            condolence_money=condolence_money,
            notes=target.campaign.name,
            recorded_by=recorded_by,
        )
    else:
        target.gift_given_on = on
    target.save(update_fields=["visit", "gift_given_on"])
    return target


# Health checks and sanatorium trips


@transaction.atomic
def health_check_record(
    *, cadre, checked_on: dt.date, institution: str, findings: str = "", recorded_by=None
) -> HealthCheck:
    """Record a cadre's health check."""
    _not_future("checked_on", checked_on)
    if cadre.deceased_on is not None:
        raise ValidationError({"cadre": _("%(name)s has died.") % {"name": cadre.name}})
    check = HealthCheck(
        cadre=cadre,
        checked_on=checked_on,
        institution=institution,
        findings=findings,
        recorded_by=recorded_by,
    )
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def trip_create(
    *,
    name: str,
    destination: str,
    starts_on: dt.date,
    ends_on: dt.date,
    quota: int,
    branch=None,
    note: str = "",
) -> SanatoriumTrip:
    """Create a sanatorium trip; participants join with trip_add_participant, up to the quota."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The trip cannot end before it starts.")})
    if quota is None or quota <= 0:
        raise ValidationError({"quota": _("The quota must be at least one place.")})
    trip = SanatoriumTrip(
        name=name,
        destination=destination,
        starts_on=starts_on,
        ends_on=ends_on,
        quota=quota,
        branch=branch,
        note=note,
    )
    trip.full_clean()
    trip.save()
    return trip


@transaction.atomic
def trip_add_participant(*, trip: SanatoriumTrip, cadre) -> SanatoriumTrip:
    """Give `cadre` a place on the trip; refused when the quota is full or the cadre already has one."""
    trip = SanatoriumTrip.objects.select_for_update().get(pk=trip.pk)
    if cadre.deceased_on is not None:
        raise ValidationError({"cadre": _("%(name)s has died.") % {"name": cadre.name}})
    if trip.participants.filter(pk=cadre.pk).exists():
        raise ValidationError({"cadre": _("%(name)s already has a place.") % {"name": cadre.name}})
    if trip.participants.count() >= trip.quota:
        raise ValidationError({"cadre": _("All %(quota)d places are taken.") % {"quota": trip.quota}})
    trip.participants.add(cadre)
    return trip


@transaction.atomic
def trip_remove_participant(*, trip: SanatoriumTrip, cadre) -> SanatoriumTrip:
    trip = SanatoriumTrip.objects.select_for_update().get(pk=trip.pk)
    trip.participants.remove(cadre)
    return trip


# Medals


@transaction.atomic
def medal_award(*, cadre, kind: str, awarded_on: dt.date, note: str = "", recorded_by=None) -> MedalAward:
    """Award a medal; the 50-year medal needs 50 years in the Party by 1 July of the year awarded."""
    _not_future("awarded_on", awarded_on)
    if kind not in MedalAward.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of medal.")})
    if MedalAward.objects.filter(cadre=cadre, kind=kind).exists():
        raise ValidationError({"kind": _("%(name)s already has this medal.") % {"name": cadre.name}})
    if kind == MedalAward.Kind.PARTY_50_YEARS:
        cutoff = party_50_years_cutoff(awarded_on.year)
        if cadre.party_join_date is None or cadre.party_join_date > cutoff:
            raise ValidationError(
                {
                    "cadre": _("%(name)s has not been 50 years in the Party by 1 July %(year)d.")
                    % {"name": cadre.name, "year": awarded_on.year}
                }
            )
    medal = MedalAward(cadre=cadre, kind=kind, awarded_on=awarded_on, note=note, recorded_by=recorded_by)
    medal.full_clean()
    medal.save()
    if kind == MedalAward.Kind.PARTY_50_YEARS:
        close_reminders(medal_of=cadre, by=recorded_by)
    return medal
