"""The spreadsheet of talks (宣讲活动, 五老进校园 and the like), imported through
outreach.services.talk_record and talk_update (imports.records).

One row is one talk. A talk is found again by its natural key: the lecture group, the day, the
title and the venue's name (宣讲团, 宣讲日期, 题目, 场所名称). A row whose key matches a
recorded talk updates it (a blank cell keeps what is recorded); any other row records a new
talk. The key has no database constraint behind it: when two recorded talks share one, the row
is refused rather than guessed.

Scope follows the talk form: a user records talks of the lecture groups they may see (a branch
secretary, their own branches' groups; a row naming any other group is that row's error), and
only bureau-wide users record talks without a group. The lecturers are named by name or full
ID number among the group's lecturers (anyone who has held a place in it: the service checks
they held one on the day), or, for a talk without a group, among the lecturers the user may see.

Headers and choice labels are data in Chinese, the same in every language (see imports.specs).
"""

import datetime as dt
import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Area
from core import idcard
from core.masking import mask_id_number
from imports import cleaning
from imports.records import (
    Outcome,
    RecordResource,
    RowProblem,
    date_cell,
    given,
    label_of,
    labelled_choice,
    named,
    names_in,
    text_of,
)
from imports.registry import register
from imports.specs import Column
from outreach import scoping, services
from outreach.models import LectureGroup, LectureGroupMembership, TalkEvent, Topic, VenueType

TOPIC_LABELS = {
    Topic.PARTY_HISTORY: "党史",
    Topic.POLICY_THEORY: "政策理论",
    Topic.RURAL_REVITALISATION: "乡村振兴",
    Topic.DROWNING_PREVENTION: "防溺水",
    Topic.DRUG_PREVENTION: "禁毒",
    Topic.FAMILY_VALUES: "家风家教",
    Topic.RULE_OF_LAW: "法治",
    Topic.OTHER: "其他",
}
TOPIC_ALIASES = {
    "党史学习教育": Topic.PARTY_HISTORY,
    "家教家风": Topic.FAMILY_VALUES,
    "其它": Topic.OTHER,
}
# As DOMAIN.md names the venues.
VENUE_LABELS = {
    VenueType.GOVERNMENT: "机关",
    VenueType.COMMUNITY: "社区",
    VenueType.SCHOOL: "学校",
    VenueType.ENTERPRISE: "企业",
    VenueType.VILLAGE: "农村",
    VenueType.ONLINE: "网络",
}
# The labels the outreach pages show, where they differ.
VENUE_ALIASES = {"村": VenueType.VILLAGE, "线上": VenueType.ONLINE}

# Lecturers in one cell: 、 as the sheet's notes say, and the other separators clerks type.
_LECTURER_SEPARATORS = re.compile(r"[、,，;；\n]+")
_ID_NUMBER = re.compile(r"\d{17}[\dX]")
_COMPARED = ("topic", "venue_type", "area", "audience", "youth_audience", "campaign", "notes")


def _lecturer_names(value) -> tuple[str, ...] | None:
    """The lecturers of a cell: names, or full ID numbers (normalised), in the order given."""
    raw = cleaning.max_length(cleaning.text, 600)(value)
    tokens = []
    for part in _LECTURER_SEPARATORS.split(raw):
        token = cleaning.name(part)
        if _ID_NUMBER.fullmatch(idcard.normalize(token)):
            token = idcard.normalize(token)
        if token and token not in tokens:
            tokens.append(token)
    return tuple(tokens) or None


def _by_unique_name(objects, what: str) -> dict[str, object]:
    """Each object by its name; a name several share maps to the message saying so."""
    found: dict[str, object] = {}
    for obj in objects:
        if obj.name in found:
            found[obj.name] = _("More than one %(what)s is called “%(name)s”.") % {
                "what": what,
                "name": obj.name,
            }
        else:
            found[obj.name] = obj
    return found


def _prepare_talks(rows, user) -> dict:
    group_names = names_in(rows, "group")
    groups = _by_unique_name(
        scoping.groups_visible(user).filter(name__in=group_names).select_related("branch"), _("lecture group")
    )
    # A group the user may not see: named as outside their scope rather than unknown.
    hidden = set(
        LectureGroup.objects.filter(name__in=group_names - set(groups)).values_list("name", flat=True)
    )
    group_ids = [group.pk for group in groups.values() if isinstance(group, LectureGroup)]
    lecturers_of: dict[int, dict] = {pk: {} for pk in group_ids}
    for membership in LectureGroupMembership.objects.filter(group__in=group_ids).select_related(
        "lecturer__cadre"
    ):
        lecturers_of[membership.group_id][membership.lecturer_id] = membership.lecturer
    tokens = {
        token
        for _number, values in rows
        if not values.get("group")
        for token in values.get("lecturers") or ()
    }
    ungrouped = {}
    if tokens:
        ungrouped = {
            lecturer.pk: lecturer
            for lecturer in scoping.lecturers_visible(user)
            .filter(Q(cadre__name__in=tokens) | Q(cadre__id_number__in=tokens))
            .select_related("cadre")
        }
    return {
        "groups": groups,
        "hidden_groups": hidden,
        "lecturers_of": lecturers_of,
        "ungrouped": ungrouped,
        "areas": _by_unique_name(Area.objects.filter(name__in=names_in(rows, "area")), _("area")),
        "campaigns": _by_unique_name(
            scoping.campaigns_visible(user).filter(name__in=names_in(rows, "campaign")), _("campaign")
        ),
    }


def _group_of(values: dict, context: dict, user) -> LectureGroup | None:
    name = values.get("group")
    if not name:
        if not user.is_bureau_wide:
            raise RowProblem(
                "group",
                _("Name the lecture group: you record the talks of your branches' groups."),
                "required",
            )
        return None
    if name in context["hidden_groups"]:
        raise RowProblem(
            "group",
            _(
                "The lecture group “%(name)s” is not one of your branches' groups; you cannot record its talks."
            )
            % {"name": name},
            "outside_scope",
        )
    return named(
        context["groups"],
        name,
        "group",
        _("Unknown lecture group “%(name)s”: no group you can see has this name.") % {"name": name},
    )


def _lecturers_of(values: dict, group: LectureGroup | None, context: dict) -> list | None:
    tokens = values.get("lecturers")
    if not tokens:
        return None
    pool = context["lecturers_of"][group.pk] if group is not None else context["ungrouped"]
    chosen = []
    for token in tokens:
        is_id = _ID_NUMBER.fullmatch(token) is not None
        matches = [
            lecturer
            for lecturer in pool.values()
            if (lecturer.cadre.id_number if is_id else lecturer.cadre.name) == token
        ]
        shown = mask_id_number(token) if is_id else token
        if not matches:
            message = (
                _("“%(name)s” is not a lecturer of %(group)s.") % {"name": shown, "group": group.name}
                if group is not None
                else _("No lecturer you can see is called or numbered “%(name)s”.") % {"name": shown}
            )
            raise RowProblem("lecturers", message, "unknown")
        if len(matches) > 1:
            raise RowProblem(
                "lecturers",
                _("Several lecturers are called “%(name)s”: give their ID numbers instead.")
                % {"name": shown},
                "ambiguous",
            )
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen


def _apply_talk(values: dict, context: dict, user) -> Outcome:
    group = _group_of(values, context, user)
    held_on = values["held_on"]
    if held_on > timezone.localdate():
        raise RowProblem(
            "held_on",
            _("%(date)s is in the future: a talk is recorded once it has been held.")
            % {"date": held_on.isoformat()},
            "future_date",
        )
    fields = given(values, ("topic", "venue_type", "audience", "youth_audience", "notes"))
    if values.get("area"):
        fields["area"] = named(
            context["areas"], values["area"], "area", _("Unknown area “%(name)s”.") % {"name": values["area"]}
        )
    if values.get("campaign"):
        fields["campaign"] = named(
            context["campaigns"],
            values["campaign"],
            "campaign",
            _("Unknown campaign “%(name)s”: no campaign you can see has this name.")
            % {"name": values["campaign"]},
        )
    lecturers = _lecturers_of(values, group, context)
    branch = group.branch.name if group is not None and group.branch_id else ""
    label = f"{held_on:%Y-%m-%d} {values['title']}"
    venue_name = values.get("venue_name") or ""
    matches = list(
        TalkEvent.objects.filter(group=group, held_on=held_on, title=values["title"], venue_name=venue_name)[
            :2
        ]
    )
    if len(matches) > 1:
        raise RowProblem(
            "title",
            _(
                "Several talks are recorded with this group, date, title and venue; correct them on their pages."
            ),
            "ambiguous",
        )
    if not matches:
        services.talk_record(
            group=group,
            lecturers=lecturers or [],
            held_on=held_on,
            title=values["title"],
            venue_name=venue_name,
            recorded_by=user,
            **fields,
        )
        return Outcome("create", label=label, branch=branch)
    talk = matches[0]
    changed = [
        field for field in _COMPARED if field in fields and _stored(fields[field]) != _stored_of(talk, field)
    ]
    if lecturers is not None and {lecturer.pk for lecturer in lecturers} != set(
        talk.lecturers.values_list("pk", flat=True)
    ):
        changed.append("lecturers")
    if not changed:
        return Outcome("skip")
    services.talk_update(
        talk=talk,
        lecturers=lecturers if "lecturers" in changed else None,
        **{field: fields[field] for field in changed if field != "lecturers"},
    )
    return Outcome(
        "update", label=label, branch=branch, changed=tuple(TALKS.header_for(field) for field in changed)
    )


def _stored(value):
    """A value as the talk stores it: a related record by its id."""
    return getattr(value, "pk", value)


def _stored_of(talk: TalkEvent, field: str):
    return getattr(talk, f"{field}_id") if field in ("area", "campaign") else getattr(talk, field)


def _talks_visible(user):
    return (
        scoping.talks_visible(user)
        .select_related("group", "area", "campaign")
        .prefetch_related("lecturers__cadre")
        .order_by("held_on", "id")
    )


def _talk_values(talk: TalkEvent) -> dict:
    return {
        "group": talk.group.name if talk.group_id else "",
        "held_on": talk.held_on,
        "title": talk.title,
        "topic": talk.topic,
        "venue_type": talk.venue_type,
        "venue_name": talk.venue_name,
        "area": talk.area.name if talk.area_id else "",
        "audience": talk.audience,
        "youth_audience": talk.youth_audience,
        "lecturers": "、".join(sorted(lecturer.cadre.name for lecturer in talk.lecturers.all())),
        "campaign": talk.campaign.name if talk.campaign_id else "",
        "notes": talk.notes,
    }


TALKS = register(
    RecordResource(
        slug="talks",
        verbose_name=gettext_lazy("Talks"),
        model=TalkEvent,
        key_fields=("group", "held_on", "title", "venue_name"),
        perms=("outreach.add_talkevent", "outreach.change_talkevent"),
        list_url="outreach:talk_list",
        prepare=_prepare_talks,
        apply=_apply_talk,
        queryset=_talks_visible,
        values_of=_talk_values,
        columns=(
            Column(
                "宣讲团",
                "group",
                text_of(120),
                aliases=("宣讲团名称", "宣讲分团"),
                example="银发宣讲团城管分团",
                note=gettext_lazy(
                    "The full name of a lecture group you can see. Only bureau staff may leave it blank, "
                    "for a talk without a group. A talk is found by its group, date, title and venue: "
                    "a row naming a recorded talk updates it."
                ),
            ),
            Column(
                "宣讲日期",
                "held_on",
                cleaning.date,
                required=True,
                aliases=("日期", "活动日期"),
                export=date_cell,
                example=dt.date(2025, 9, 10),
                note=gettext_lazy("The day the talk was held; not in the future."),
            ),
            Column(
                "题目",
                "title",
                text_of(200),
                required=True,
                aliases=("宣讲题目", "标题"),
                example="传承红色基因",
            ),
            Column(
                "宣讲主题类别",
                "topic",
                labelled_choice(TOPIC_LABELS, TOPIC_ALIASES),
                required=True,
                aliases=("主题类别", "宣讲主题", "主题"),
                export=label_of(TOPIC_LABELS),
                example="党史",
                note=gettext_lazy("党史, 政策理论, 乡村振兴, 防溺水, 禁毒, 家风家教, 法治 or 其他."),
            ),
            Column(
                "场所类型",
                "venue_type",
                labelled_choice(VENUE_LABELS, VENUE_ALIASES),
                required=True,
                aliases=("宣讲场所类型",),
                export=label_of(VENUE_LABELS),
                example="学校",
                note=gettext_lazy("机关, 社区, 学校, 企业, 农村 or 网络."),
            ),
            Column(
                "场所名称", "venue_name", text_of(120), aliases=("宣讲场所", "场所"), example="市第一中学"
            ),
            Column(
                "所在区域",
                "area",
                text_of(100),
                aliases=("区域",),
                example="锦江区",
                note=gettext_lazy("The name of an area; may be left blank."),
            ),
            Column(
                "听众人数",
                "audience",
                cleaning.integer(0, 10_000_000),
                required=True,
                aliases=("受众人数", "参加人数"),
                example=300,
            ),
            Column(
                "其中青少年人数",
                "youth_audience",
                cleaning.integer(0, 10_000_000),
                aliases=("青少年人数", "其中青少年受众人数"),
                example=280,
                note=gettext_lazy("Not more than the audience; blank means 0 for a new talk."),
            ),
            Column(
                "宣讲人",
                "lecturers",
                _lecturer_names,
                required=True,
                aliases=("宣讲员", "主讲人"),
                example="王建国、李秀英",
                note=gettext_lazy(
                    "Lecturers of the group, by name or full ID number, separated by 、; they must have "
                    "been in the group on the day."
                ),
            ),
            Column(
                "所属宣讲行动",
                "campaign",
                text_of(120),
                aliases=("宣讲行动", "所属活动"),
                example="",
                note=gettext_lazy("The name of a campaign the talk counts towards; may be left blank."),
            ),
            Column("备注", "notes", cleaning.text, example=""),
        ),
    )
)
