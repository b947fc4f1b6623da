"""Writes on lecture groups, lecturers, talks, campaigns and publicity."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Area, Branch
from core.models import assign_fields
from outreach.models import Campaign, LectureGroup, LectureGroupMembership, Lecturer, Publicity, TalkEvent

_GROUP_FIELDS = {"name", "level", "area", "branch", "founded_on", "note"}
_LECTURER_FIELDS = {"category", "topics", "availability", "is_active", "note"}
_TALK_FIELDS = {
    "held_on",
    "topic",
    "title",
    "venue_type",
    "venue_name",
    "area",
    "audience",
    "youth_audience",
    "campaign",
    "notes",
}
_CAMPAIGN_FIELDS = {
    "name",
    "starts_on",
    "ends_on",
    "area",
    "branch",
    "target_lecturers",
    "target_talks",
    "target_audience",
    "note",
}
_PUBLICITY_FIELDS = {"title", "cadre", "branch", "outlet", "level", "published_on", "link"}


# Lecture groups


@transaction.atomic
def group_create(*, name: str, **fields) -> LectureGroup:
    """Create a lecture group (a branch's own when `branch` is given, else the bureau's)."""
    group = assign_fields(LectureGroup(name=name), fields, _GROUP_FIELDS)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_update(*, group: LectureGroup, **fields) -> LectureGroup:
    """Change a lecture group's own fields; its members are kept."""
    group = assign_fields(LectureGroup.objects.select_for_update().get(pk=group.pk), fields, _GROUP_FIELDS)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_member_add(
    *, group: LectureGroup, lecturer: Lecturer, joined_on: dt.date
) -> LectureGroupMembership:
    """Make `lecturer` a member of `group` from `joined_on`."""
    if LectureGroupMembership.objects.filter(group=group, lecturer=lecturer, left_on__isnull=True).exists():
        raise ValidationError({"lecturer": _("%(name)s is already in this group.") % {"name": lecturer}})
    if not lecturer.is_active:
        raise ValidationError(
            {"lecturer": _("%(name)s is no longer an active lecturer.") % {"name": lecturer}}
        )
    if group.founded_on and joined_on < group.founded_on:
        raise ValidationError(
            {"joined_on": _("The group was founded on %(date)s.") % {"date": group.founded_on.isoformat()}}
        )
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("The date is in the future.")})
    membership = LectureGroupMembership(group=group, lecturer=lecturer, joined_on=joined_on)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def group_member_end(*, membership: LectureGroupMembership, left_on: dt.date) -> LectureGroupMembership:
    """End a lecturer's membership of a group on `left_on`; the history is kept."""
    membership = LectureGroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This membership has already ended.")})
    if left_on < membership.joined_on:
        raise ValidationError(
            {
                "left_on": _("The lecturer joined the group on %(date)s.")
                % {"date": membership.joined_on.isoformat()}
            }
        )
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date is in the future.")})
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on"])
    return membership


# Lecturers


@transaction.atomic
def lecturer_create(*, cadre, **fields) -> Lecturer:
    """Profile `cadre` as a lecturer; the five-elders category defaults to the cadre's first tag."""
    if Lecturer.objects.filter(cadre=cadre).exists():
        raise ValidationError({"cadre": _("%(name)s is already a lecturer.") % {"name": cadre.name}})
    if cadre.deceased_on is not None:
        raise ValidationError({"cadre": _("%(name)s has died.") % {"name": cadre.name}})
    lecturer = assign_fields(Lecturer(cadre=cadre), fields, _LECTURER_FIELDS)
    if not lecturer.category and cadre.five_elders:
        lecturer.category = cadre.five_elders[0]
    lecturer.topics = list(lecturer.topics or [])
    lecturer.full_clean()
    lecturer.save()
    return lecturer


@transaction.atomic
def lecturer_update(*, lecturer: Lecturer, **fields) -> Lecturer:
    """Change a lecturer's profile; the cadre stays the same."""
    lecturer = assign_fields(
        Lecturer.objects.select_for_update().get(pk=lecturer.pk), fields, _LECTURER_FIELDS
    )
    lecturer.topics = list(lecturer.topics or [])
    lecturer.full_clean()
    lecturer.save()
    return lecturer


# Talks


def _in_subtree(node, root) -> bool:
    return node is not None and node.path.startswith(root.path)


def _talk_errors(*, talk: TalkEvent, lecturers: list[Lecturer], new_lecturers: set[int]) -> dict:
    errors = {}
    if not lecturers:
        errors["lecturers"] = _("Name at least one lecturer.")
    if talk.held_on and talk.held_on > timezone.localdate():
        errors["held_on"] = _("A talk is recorded once it has been held: this date is in the future.")
    if talk.audience is not None and talk.youth_audience is not None and talk.youth_audience > talk.audience:
        errors["youth_audience"] = _("The young people cannot outnumber the whole audience.")
    inactive = [
        str(lecturer) for lecturer in lecturers if lecturer.pk in new_lecturers and not lecturer.is_active
    ]
    if inactive:
        errors["lecturers"] = _("No longer active lecturers: %(names)s.") % {"names": ", ".join(inactive)}
    if talk.group_id and talk.held_on and lecturers and "lecturers" not in errors:
        day = talk.held_on
        members = set(
            LectureGroupMembership.objects.filter(
                Q(left_on__isnull=True) | Q(left_on__gt=day),
                group_id=talk.group_id,
                lecturer__in=[lecturer.pk for lecturer in lecturers],
                joined_on__lte=day,
            ).values_list("lecturer_id", flat=True)
        )
        outsiders = [str(lecturer) for lecturer in lecturers if lecturer.pk not in members]
        if outsiders:
            errors["lecturers"] = _("Not members of the group on %(date)s: %(names)s.") % {
                "date": day.isoformat(),
                "names": ", ".join(outsiders),
            }
    campaign = talk.campaign
    if campaign is not None and talk.held_on:
        if not campaign.starts_on <= talk.held_on <= campaign.ends_on:
            errors["campaign"] = _("The campaign runs from %(start)s to %(end)s.") % {
                "start": campaign.starts_on.isoformat(),
                "end": campaign.ends_on.isoformat(),
            }
        elif campaign.area_id and not _in_subtree(talk.area, Area.objects.get(pk=campaign.area_id)):
            errors["campaign"] = _("The campaign covers %(area)s only: give an area there.") % {
                "area": campaign.area.name
            }
        elif campaign.branch_id and not (
            talk.group_id and _in_subtree(talk.group.branch, Branch.objects.get(pk=campaign.branch_id))
        ):
            errors["campaign"] = _("The campaign is %(branch)s's: only its own groups' talks count.") % {
                "branch": campaign.branch.name
            }
    return errors


@transaction.atomic
def talk_record(
    *,
    lecturers: list[Lecturer],
    held_on: dt.date,
    topic: str,
    title: str,
    venue_type: str,
    audience: int,
    group: LectureGroup | None = None,
    youth_audience: int = 0,
    recorded_by=None,
    **fields,
) -> TalkEvent:
    """Record a talk given by `lecturers` (members of `group` on the day, when a group is given)."""
    lecturers = list(lecturers)
    talk = assign_fields(
        TalkEvent(
            group=group,
            held_on=held_on,
            topic=topic,
            title=title,
            venue_type=venue_type,
            audience=audience,
            youth_audience=youth_audience,
            recorded_by=recorded_by,
        ),
        fields,
        _TALK_FIELDS,
    )
    errors = _talk_errors(
        talk=talk, lecturers=lecturers, new_lecturers={lecturer.pk for lecturer in lecturers}
    )
    if errors:
        raise ValidationError(errors)
    talk.full_clean()
    talk.save()
    talk.lecturers.set(lecturers)
    return talk


@transaction.atomic
def talk_update(*, talk: TalkEvent, lecturers: list[Lecturer] | None = None, **fields) -> TalkEvent:
    """Correct a recorded talk; its group stays the same."""
    talk = assign_fields(TalkEvent.objects.select_for_update().get(pk=talk.pk), fields, _TALK_FIELDS)
    current = list(talk.lecturers.all())
    lecturers = current if lecturers is None else list(lecturers)
    kept = {lecturer.pk for lecturer in current}
    errors = _talk_errors(
        talk=talk, lecturers=lecturers, new_lecturers={lecturer.pk for lecturer in lecturers} - kept
    )
    if errors:
        raise ValidationError(errors)
    talk.full_clean()
    talk.save()
    talk.lecturers.set(lecturers)
    return talk


@transaction.atomic
def talk_delete(*, talk: TalkEvent) -> None:
    """Delete a talk record; its lecturers and group stay."""
    talk.delete()


# Campaigns


@transaction.atomic
def campaign_create(*, name: str, starts_on: dt.date, ends_on: dt.date, **fields) -> Campaign:
    """Create a campaign with its period, scope and targets."""
    campaign = assign_fields(
        Campaign(name=name, starts_on=starts_on, ends_on=ends_on), fields, _CAMPAIGN_FIELDS
    )
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    """Change a campaign; talks already linked that fall outside a shortened period stop counting."""
    campaign = assign_fields(
        Campaign.objects.select_for_update().get(pk=campaign.pk), fields, _CAMPAIGN_FIELDS
    )
    campaign.full_clean()
    campaign.save()
    return campaign


# Publicity


@transaction.atomic
def publicity_create(*, title: str, outlet: str, level: str, published_on: dt.date, **fields) -> Publicity:
    """Record a report publicising a cadre or a branch."""
    record = assign_fields(
        Publicity(title=title, outlet=outlet, level=level, published_on=published_on),
        fields,
        _PUBLICITY_FIELDS,
    )
    _publicity_check(record)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def publicity_update(*, publicity: Publicity, **fields) -> Publicity:
    """Change a publicity record."""
    record = assign_fields(
        Publicity.objects.select_for_update().get(pk=publicity.pk), fields, _PUBLICITY_FIELDS
    )
    _publicity_check(record)
    record.full_clean()
    record.save()
    return record


def _publicity_check(record: Publicity) -> None:
    if record.published_on and record.published_on > timezone.localdate():
        raise ValidationError({"published_on": _("The date is in the future.")})


@transaction.atomic
def publicity_delete(*, publicity: Publicity) -> None:
    """Delete a publicity record."""
    publicity.delete()
