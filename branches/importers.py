"""The spreadsheets of Party organisations, transfers between them, branch officers, and
activities with their attendance (imports.records).

Headers and choice labels are data in Chinese, the same in every language, as the bureaus'
own sheets are (see imports.specs).
"""

import collections
import datetime as dt
import re

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import scope_queryset, visible_branches
from branches import services
from branches.models import Activity, ActivityKind, Area, Attendance, Branch, BranchMembership, BranchOfficer
from branches.selectors import activity_list
from core.masking import mask_id_number
from imports import cleaning
from imports.records import (
    Outcome,
    RecordResource,
    RowProblem,
    branches_named,
    cadre_numbered,
    cadres_numbered,
    changed_columns,
    check_name,
    date_cell,
    given,
    id_number_column,
    label_of,
    labelled_choice,
    named,
    names_in,
    parent_name,
    spelled,
    text_of,
)
from imports.registry import register
from imports.specs import Column

BRANCH_KIND_LABELS = {
    Branch.Kind.WORKING_COMMITTEE: "党工委",
    Branch.Kind.COMMITTEE: "党委",
    Branch.Kind.GENERAL_BRANCH: "党总支",
    Branch.Kind.BRANCH: "党支部",
    Branch.Kind.TEMPORARY: "临时党支部",
    Branch.Kind.GROUP: "党小组",
}


# Party organisations ---------------------------------------------------------------------------

_BRANCH_FIELDS = (
    "kind",
    "former_unit",
    "founded_on",
    "dissolved_on",
    "term_years",
    "liaison_name",
    "liaison_phone",
    "liaison_unit",
)


def _prepare_branches(rows, user) -> dict:
    names = names_in(rows, "name") | names_in(rows, "parent")
    areas: dict[str, object] = {}
    wanted = names_in(rows, "area")
    for area in Area.objects.filter(name__in=wanted):
        areas[area.name] = (
            _("More than one area is called “%(name)s”.") % {"name": area.name}
            if area.name in areas
            else area
        )
    return {
        # Every organisation of those names the user may see, dissolved ones too: a row may
        # record the dissolution of one.
        "branches": {
            name: list(visible_branches(user).filter(name=name).order_by("path")) for name in sorted(names)
        },
        "areas": areas,
    }


def _branch_of_name(context, name: str, field: str):
    found = context["branches"].get(name)
    if found is None:
        # Created by an earlier row of the same file.
        found = context["branches"][name] = list(Branch.objects.filter(name=name).order_by("path"))
    if len(found) > 1:
        raise RowProblem(
            field,
            _("More than one Party organisation is called “%(name)s”; ask the bureau to rename one.")
            % {"name": name},
            "branch_not_unique",
        )
    return found[0] if found else None


def _apply_branch(values: dict, context: dict, user) -> Outcome:
    name = values["name"]
    fields = given(values, _BRANCH_FIELDS)
    if values.get("area"):
        fields["area"] = named(
            context["areas"],
            values["area"],
            "area",
            _("Unknown area “%(name)s”.") % {"name": values["area"]},
        )
    branch = _branch_of_name(context, name, "name")
    parent = None
    if values.get("parent"):
        parent = _branch_of_name(context, values["parent"], "parent")
        if parent is None:
            raise RowProblem(
                "parent",
                _("Unknown Party organisation “%(name)s”: no organisation you can see has this name.")
                % {"name": values["parent"]},
                "unknown_branch",
            )
    if branch is None:
        branch = services.branch_create(
            name=name, kind=fields.pop("kind", Branch.Kind.BRANCH), parent=parent, **fields
        )
        context["branches"][name] = [branch]
        return Outcome("create", label=name, branch=parent.name if parent else "")
    if parent is not None and not (branch.path.startswith(parent.path) and branch.depth == parent.depth + 1):
        raise RowProblem(
            "parent",
            _("An organisation is moved in the tree on its own page, not by an import."),
            "moved",
        )
    changed = changed_columns(BRANCHES, branch, fields, fields)
    if not changed:
        return Outcome("skip")
    services.branch_update(branch=branch, **fields)
    return Outcome("update", label=name, changed=changed)


def _branch_values(branch: Branch) -> dict:
    return {
        **{field: getattr(branch, field) for field in _BRANCH_FIELDS},
        "name": branch.name,
        "parent": branch.parent_name or "",
        "area": branch.area.name if branch.area_id else "",
    }


BRANCHES = register(
    RecordResource(
        slug="branches",
        verbose_name=gettext_lazy("Party organisations"),
        model=Branch,
        key_fields=("name",),
        perms=("branches.add_branch", "branches.change_branch"),
        list_url="branches:branch_list",
        prepare=_prepare_branches,
        apply=_apply_branch,
        queryset=lambda user: (
            visible_branches(user)
            .select_related("area")
            .annotate(parent_name=parent_name(Branch))
            .order_by("path")
        ),
        values_of=_branch_values,
        error_fields={"founded_on": "founded_on", "__all__": "dissolved_on"},
        columns=(
            Column(
                "名称",
                "name",
                text_of(120),
                required=True,
                aliases=("党组织名称",),
                example="市城管局离退休干部党支部",
            ),
            Column(
                "类型",
                "kind",
                labelled_choice(
                    BRANCH_KIND_LABELS, {"支部": Branch.Kind.BRANCH, "总支": Branch.Kind.GENERAL_BRANCH}
                ),
                export=label_of(BRANCH_KIND_LABELS),
                example="党支部",
                note=gettext_lazy(
                    "党工委, 党委, 党总支, 党支部, 临时党支部 or 党小组; blank means 党支部 for a new one."
                ),
            ),
            Column(
                "上级党组织",
                "parent",
                text_of(120),
                example="市直机关离退休干部党委",
                note=gettext_lazy(
                    "The full name of an organisation you can see, or one named in an earlier row."
                ),
            ),
            Column("所在区域", "area", text_of(100), example="锦江区"),
            Column("原单位", "former_unit", text_of(120), example="市城管局"),
            Column("成立日期", "founded_on", cleaning.date, export=date_cell, example=dt.date(2018, 7, 1)),
            Column("撤销日期", "dissolved_on", cleaning.date, export=date_cell, example=""),
            Column(
                "任期年限",
                "term_years",
                cleaning.integer(3, 5),
                example=3,
                note=gettext_lazy("3 to 5; blank means 3 for a new one."),
            ),
            Column("联络员", "liaison_name", cleaning.max_length(cleaning.name, 50), example="李明"),
            Column(
                "联络员电话", "liaison_phone", cleaning.max_length(cleaning.phone, 20), example="13800001111"
            ),
            Column("联络员单位", "liaison_unit", text_of(120), example="市委老干部局"),
        ),
    )
)


# Transfers between branches --------------------------------------------------------------------


def _prepare_transfers(rows, user) -> dict:
    return {
        "branches": branches_named(names_in(rows, "branch"), user),
        "cadres": cadres_numbered((values["id_number"] for _number, values in rows), user),
    }


def _apply_transfer(values: dict, context: dict, user) -> Outcome:
    cadre = cadre_numbered(context, values["id_number"])
    check_name(cadre, values)
    branch = named(context["branches"], values["branch"], "branch", "")
    on = values["joined_on"]
    if on > dt.date.today():
        raise RowProblem(
            "joined_on", _("%(date)s is in the future.") % {"date": on.isoformat()}, "future_date"
        )
    if BranchMembership.objects.filter(cadre=cadre, branch=branch, joined_on=on).exists():
        return Outcome("skip")
    services.membership_transfer(cadre=cadre, branch=branch, on=on)
    return Outcome("create", label=cadre.name, branch=branch.name, id_number=mask_id_number(cadre.id_number))


TRANSFERS = register(
    RecordResource(
        slug="memberships",
        verbose_name=gettext_lazy("Branch transfers"),
        model=BranchMembership,
        key_fields=("id_number", "branch", "joined_on"),
        perms=("branches.add_branchmembership", "branches.change_branchmembership"),
        list_url="cadres:cadre_list",
        prepare=_prepare_transfers,
        apply=_apply_transfer,
        queryset=lambda user: (
            BranchMembership.objects.filter(branch__in=visible_branches(user))
            .select_related("cadre", "branch")
            .order_by("cadre_id", "joined_on")
        ),
        values_of=lambda membership: {
            "name": membership.cadre.name,
            "id_number": membership.cadre.id_number,
            "branch": membership.branch.name,
            "joined_on": membership.joined_on,
        },
        error_fields={"on": "joined_on", "cadre": "id_number"},
        columns=(
            Column("姓名", "name", cleaning.max_length(cleaning.name, 50), example="王建国"),
            id_number_column(),
            Column(
                "转入党支部",
                "branch",
                text_of(120),
                required=True,
                aliases=("所在党支部", "党支部"),
                example="市城管局离退休干部党支部",
            ),
            Column(
                "转入日期",
                "joined_on",
                cleaning.date,
                required=True,
                export=date_cell,
                example=dt.date(2024, 3, 1),
                note=gettext_lazy(
                    "The cadre leaves their current branch on this day. A row already recorded is skipped."
                ),
            ),
        ),
    )
)


# Branch officers -------------------------------------------------------------------------------

OFFICER_ROLE_LABELS = {
    BranchOfficer.Role.SECRETARY: "书记",
    BranchOfficer.Role.DEPUTY_SECRETARY: "副书记",
    BranchOfficer.Role.ORGANISATION: "组织委员",
    BranchOfficer.Role.PROPAGANDA: "宣传委员",
    BranchOfficer.Role.DISCIPLINE: "纪检委员",
    BranchOfficer.Role.MEMBER: "委员",
}


def _prepare_officers(rows, user) -> dict:
    branches = branches_named(names_in(rows, "branch"), user)
    return {
        "branches": branches,
        "cadres": cadres_numbered((values["id_number"] for _number, values in rows), user),
        # The posts already recorded in the branches the file names, by natural key.
        "officers": {
            (officer.branch_id, officer.cadre_id, officer.role, officer.term_start): officer
            for officer in BranchOfficer.objects.filter(
                branch__in=[branch for branch in branches.values() if isinstance(branch, Branch)]
            )
        },
    }


def _apply_officer(values: dict, context: dict, user) -> Outcome:
    branch = named(context["branches"], values["branch"], "branch", "")
    cadre = cadre_numbered(context, values["id_number"])
    check_name(cadre, values)
    role, start = values["role"], values["term_start"]
    label = f"{cadre.name} {OFFICER_ROLE_LABELS[role]}"
    shown = {"label": label, "branch": branch.name, "id_number": mask_id_number(cadre.id_number)}
    officer = context["officers"].get((branch.pk, cadre.pk, role, start))
    if officer is None:
        services.officer_appoint(
            branch=branch, cadre=cadre, role=role, term_start=start, term_end=values.get("term_end")
        )
        return Outcome("create", **shown)
    changed = changed_columns(OFFICERS, officer, values, ("term_end",))
    if not changed:
        return Outcome("skip")
    services.officer_update(officer=officer, term_end=values["term_end"])
    return Outcome("update", changed=changed, **shown)


OFFICERS = register(
    RecordResource(
        slug="officers",
        verbose_name=gettext_lazy("Branch officers"),
        model=BranchOfficer,
        key_fields=("id_number", "branch", "role", "term_start"),
        perms=("branches.add_branchofficer", "branches.change_branchofficer"),
        list_url="branches:branch_list",
        prepare=_prepare_officers,
        apply=_apply_officer,
        queryset=lambda user: (
            scope_queryset(user, BranchOfficer.objects.all())
            .select_related("branch", "cadre")
            .order_by("branch__path", "-term_start", "role", "id")
        ),
        values_of=lambda officer: {
            "branch": officer.branch.name,
            "name": officer.cadre.name,
            "id_number": officer.cadre.id_number,
            "role": officer.role,
            "term_start": officer.term_start,
            "term_end": officer.term_end,
        },
        # The model's check that the term ends after it starts reaches the user on 任期结束.
        error_fields={"cadre": "id_number", "__all__": "term_end"},
        columns=(
            Column(
                "党支部",
                "branch",
                text_of(120),
                required=True,
                aliases=("所在党支部", "党组织"),
                example="市城管局离退休干部党支部",
                note=gettext_lazy(
                    "The full name of an organisation you can see; the officer must be its member."
                ),
            ),
            Column(
                "姓名",
                "name",
                cleaning.max_length(cleaning.name, 50),
                example="王建国",
                note=gettext_lazy("Checked against the name registered under the ID number."),
            ),
            id_number_column(),
            Column(
                "职务",
                "role",
                labelled_choice(
                    OFFICER_ROLE_LABELS,
                    {
                        "支部书记": BranchOfficer.Role.SECRETARY,
                        "支部副书记": BranchOfficer.Role.DEPUTY_SECRETARY,
                        "支委": BranchOfficer.Role.MEMBER,
                        "支部委员": BranchOfficer.Role.MEMBER,
                    },
                ),
                required=True,
                aliases=("党内职务",),
                export=label_of(OFFICER_ROLE_LABELS),
                example="书记",
                note=gettext_lazy("书记, 副书记, 组织委员, 宣传委员, 纪检委员 or 委员: one post a row."),
            ),
            Column(
                "任期开始",
                "term_start",
                cleaning.date,
                required=True,
                aliases=("任职日期",),
                export=date_cell,
                example=dt.date(2024, 3, 1),
                note=gettext_lazy(
                    "A post already recorded (same branch, ID number, post and start) is skipped, "
                    "or its end updated."
                ),
            ),
            Column(
                "任期结束",
                "term_end",
                cleaning.date,
                export=date_cell,
                example="",
                note=gettext_lazy(
                    "Blank gives a new post one full term of the branch; a recorded post keeps its end."
                ),
            ),
        ),
    )
)


# Activities with their attendance --------------------------------------------------------------

LEAVE_REASON_LABELS = {
    Attendance.LeaveReason.SICK: "病假",
    Attendance.LeaveReason.HOSPITAL: "住院",
    Attendance.LeaveReason.PERSONAL: "事假",
    Attendance.LeaveReason.AWAY: "在外地",
    Attendance.LeaveReason.OTHER: "其他",
}
_leave_reason = labelled_choice(
    LEAVE_REASON_LABELS,
    {
        "生病": Attendance.LeaveReason.SICK,
        "外地": Attendance.LeaveReason.AWAY,
        "外出": Attendance.LeaveReason.AWAY,
        "有事": Attendance.LeaveReason.PERSONAL,
    },
)
# The list columns by field, and the status each records.
_ATTENDANCE = (
    ("present", Attendance.Status.PRESENT),
    ("leave", Attendance.Status.LEAVE),
    ("absent", Attendance.Status.ABSENT),
)
_FIELD_OF_STATUS = {status: field for field, status in _ATTENDANCE}
_ACTIVITY_FIELDS = ("starts_at", "place", "presenter", "guest_count")
# After cleaning.text's NFKC: "，" is "," and "；" is ";", and full-width brackets are ASCII.
_PEOPLE_SEPARATORS = re.compile(r"[、,;\s]+")
_PERSON = re.compile(r"([^()]+)(?:\(([^()]*)\))?")
_ID_NUMBER = re.compile(r"\d{17}[\dX]")
# An ID number as the lists show it (core.masking): enough to tell apart two members of one name.
_MASKED_ID_NUMBER = re.compile(r"\d{3}\*{11}\d{3}[\dX]")


def _people(*, reasons: bool):
    """A cleaner of a list of members: names (or ID numbers) separated by 、 , ; or spaces; in
    the leave column each may carry its reason in brackets, 王建国(住院), 其他 when it has none.
    Gives ((name or ID number, leave reason), …)."""

    def clean(value):
        raw = cleaning.text(value)
        raw = re.sub(r"\s*\(\s*", "(", re.sub(r"\s*\)", ")", raw))
        people = []
        for part in _PEOPLE_SEPARATORS.split(raw):
            if not part:
                continue
            match = _PERSON.fullmatch(part)
            if match is None:
                raise cleaning.CellError(
                    _(
                        "“%(entry)s” is not a name, nor a name with its reason in brackets such as 王建国(住院)."
                    )
                    % {"entry": part},
                    "person",
                )
            who, reason = match.groups()
            if reason is not None and not reasons:
                raise cleaning.CellError(
                    _("“%(entry)s”: only the 请假 column gives reasons in brackets.") % {"entry": part},
                    "person",
                )
            if _ID_NUMBER.fullmatch(who.upper()) or _MASKED_ID_NUMBER.fullmatch(who.upper()):
                who = who.upper()  # 11010119500314123x
            people.append((who, (_leave_reason(reason) or Attendance.LeaveReason.OTHER) if reasons else ""))
        return tuple(people) or None

    return clean


def _prepare_activities(rows, user) -> dict:
    # By name, then by code; of two kinds of one name, the one in use.
    ordered = list(ActivityKind.objects.order_by("-is_active", "sort_order", "id"))
    kinds = {}
    for kind in ordered:
        kinds.setdefault(cleaning.single_line(kind.name), kind)
    for kind in ordered:
        kinds.setdefault(kind.code.lower(), kind)
    return {
        "branches": branches_named(names_in(rows, "branch"), user),
        "kinds": kinds,
        "kinds_in_use": "、".join(dict.fromkeys(kind.name for kind in ordered if kind.is_active)),
    }


def _kind_named(context: dict, name: str) -> ActivityKind:
    kind = context["kinds"].get(name) or context["kinds"].get(name.lower())
    if kind is None:
        raise RowProblem(
            "kind",
            _("Unknown kind of activity “%(name)s”. The kinds in use are: %(kinds)s.")
            % {"name": name, "kinds": context["kinds_in_use"]},
            "unknown_kind",
        )
    return kind


def _attendance_of(values: dict, branch: Branch, day: dt.date) -> dict | None:
    """The row's attendance as activity_record takes it, {cadre id: (status, reason)}, for every
    member of `branch` on `day`, those named in no column absent; None when no column names anyone."""
    if all(values.get(field) is None for field, _status in _ATTENDANCE):
        return None
    members = list(services.branch_members_on(branch=branch, day=day).only("name", "id_number"))
    found = collections.defaultdict(list)
    for cadre in members:
        for key in {cleaning.name(cadre.name), cadre.id_number, mask_id_number(cadre.id_number)}:
            found[key].append(cadre)
    attendance = {cadre.pk: (Attendance.Status.ABSENT, "") for cadre in members}
    named_before = set()
    for field, status in _ATTENDANCE:
        for who, reason in values.get(field) or ():
            shown = mask_id_number(who) if _ID_NUMBER.fullmatch(who) else who
            matches = found.get(who, [])
            if not matches:
                raise RowProblem(
                    field,
                    _("“%(name)s” was not a member of %(branch)s on %(date)s.")
                    % {"name": shown, "branch": branch.name, "date": day.isoformat()},
                    "not_member",
                )
            if len(matches) > 1:
                if _MASKED_ID_NUMBER.fullmatch(who):
                    message = _(
                        "More than one member's ID number reads “%(name)s”: write the full ID number."
                    )
                else:
                    message = _(
                        "More than one member is called “%(name)s”: write the ID number in place of the name."
                    )
                raise RowProblem(field, message % {"name": shown}, "ambiguous_name")
            cadre = matches[0]
            if cadre.pk in named_before:
                raise RowProblem(
                    field, _("“%(name)s” is named more than once.") % {"name": shown}, "named_twice"
                )
            named_before.add(cadre.pk)
            attendance[cadre.pk] = (status, reason)
    return attendance


def _attendance_changes(recorded: dict, attendance: dict) -> tuple[str, ...]:
    """The headers of the list columns whose members (or reasons) differ from those recorded."""
    return tuple(
        ACTIVITIES.header_for(field)
        for field, status in _ATTENDANCE
        if {pk: entry for pk, entry in recorded.items() if entry[0] == status}
        != {pk: entry for pk, entry in attendance.items() if entry[0] == status}
    )


def _apply_activity(values: dict, context: dict, user) -> Outcome:
    branch = named(context["branches"], values["branch"], "branch", "")
    kind = _kind_named(context, values["kind"])
    day, topic = values["held_on"], values["topic"]
    if day > timezone.localdate():
        raise RowProblem(
            "held_on", _("%(date)s is in the future.") % {"date": day.isoformat()}, "future_date"
        )
    attendance = _attendance_of(values, branch, day)
    fields = given(values, _ACTIVITY_FIELDS)
    label = f"{day.isoformat()} {kind.name} {topic}"
    # Topics compared as a cell spells them: a stored （一） or ： reads back from a sheet as (一) or :.
    recorded = [
        activity
        for activity in Activity.objects.filter(branch=branch, kind=kind, held_on=day)
        if cleaning.single_line(activity.topic) == topic
    ]
    if len(recorded) > 1:
        raise RowProblem(
            "topic",
            _("The branch has recorded this activity more than once: correct it on its pages."),
            "not_unique",
        )
    if not recorded:
        services.activity_record(
            branch=branch,
            kind=kind,
            held_on=day,
            topic=topic,
            attendance=attendance,
            created_by=user,
            **fields,
        )
        return Outcome("create", label=label, branch=branch.name)
    activity = recorded[0]
    fields = {field: value for field, value in fields.items() if spelled(getattr(activity, field)) != value}
    changed = tuple(ACTIVITIES.header_for(field) for field in fields)
    if attendance is not None:
        changed += _attendance_changes(
            {row.cadre_id: (row.status, row.leave_reason) for row in activity.attendance.all()}, attendance
        )
    if not changed:
        return Outcome("skip")
    services.activity_update(activity=activity, attendance=attendance, **fields)
    return Outcome("update", label=label, branch=branch.name, changed=changed)


def _activity_values(activity: Activity) -> dict:
    rows = list(activity.attendance.all())
    # A name two members share is written as the ID number, masked as the lists show it.
    names = collections.Counter(cleaning.name(row.cadre.name) for row in rows)
    people = {field: [] for field, _status in _ATTENDANCE}
    for row in rows:
        who = (
            row.cadre.name
            if names[cleaning.name(row.cadre.name)] == 1
            else mask_id_number(row.cadre.id_number)
        )
        if row.status == Attendance.Status.LEAVE:
            who = f"{who}({LEAVE_REASON_LABELS.get(row.leave_reason, row.leave_reason)})"
        people[_FIELD_OF_STATUS[row.status]].append(who)
    return {
        "branch": activity.branch.name,
        "kind": activity.kind.name,
        "held_on": activity.held_on,
        "starts_at": activity.starts_at,
        "place": activity.place,
        "topic": activity.topic,
        "presenter": activity.presenter,
        "guest_count": activity.guest_count,
        **{field: "、".join(names) for field, names in people.items()},
    }


ACTIVITIES = register(
    RecordResource(
        slug="activities",
        verbose_name=gettext_lazy("Activities and attendance"),
        model=Activity,
        key_fields=("topic", "branch", "kind", "held_on"),
        perms=("branches.add_activity", "branches.change_activity"),
        list_url="branches:activity_list",
        prepare=_prepare_activities,
        apply=_apply_activity,
        queryset=lambda user: activity_list(user=user).prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("cadre")
                .only("activity", "cadre", "status", "leave_reason", "cadre__name", "cadre__id_number")
                .order_by("cadre__name", "cadre_id"),
            )
        ),
        values_of=_activity_values,
        error_fields={"attendance": "present"},
        columns=(
            Column(
                "党支部",
                "branch",
                text_of(120),
                required=True,
                aliases=("所在党支部", "党组织"),
                example="市城管局离退休干部党支部",
                note=gettext_lazy("The full name of an organisation you can see."),
            ),
            Column(
                "活动类型",
                "kind",
                text_of(40),
                required=True,
                aliases=("类型", "活动类别"),
                example="主题党日",
                note=gettext_lazy(
                    "A kind of activity as the activity form lists it: 支部党员大会, 支部委员会, 党小组会, "
                    "党课, 主题党日 …"
                ),
            ),
            Column(
                "日期",
                "held_on",
                cleaning.date,
                required=True,
                aliases=("活动日期",),
                export=date_cell,
                example=dt.date(2024, 7, 1),
                note=gettext_lazy("Not in the future."),
            ),
            Column(
                "开始时间",
                "starts_at",
                cleaning.time_of_day,
                export=lambda value: value or "",
                example="9:30",
                note=gettext_lazy("Such as 9:30 or 14:00; may be left blank."),
            ),
            Column("地点", "place", text_of(120), example="社区党群服务中心"),
            Column(
                "主题",
                "topic",
                text_of(200),
                required=True,
                example="学习党的二十届三中全会精神",
                note=gettext_lazy(
                    "An activity already recorded (same branch, kind, date and topic) is updated, "
                    "or skipped when nothing differs."
                ),
            ),
            Column("主讲人", "presenter", text_of(60), example="王建国"),
            Column(
                "列席人数",
                "guest_count",
                cleaning.integer(0, 32767),
                example=2,
                note=gettext_lazy("Guests who are not members of the branch."),
            ),
            Column(
                "出席",
                "present",
                _people(reasons=False),
                example="王建国、李秀英",
                note=gettext_lazy(
                    "Members present, by name, separated by 、 , or spaces. Members are those of the "
                    "branch on the day; where two share a name, write the ID number in place of it."
                ),
            ),
            Column(
                "请假",
                "leave",
                _people(reasons=True),
                example="张华(住院)、刘明",
                note=gettext_lazy(
                    "Members on leave, each with the reason in brackets: 病假, 住院, 事假, 在外地 or 其他; "
                    "without one it is 其他."
                ),
            ),
            Column(
                "缺席",
                "absent",
                _people(reasons=False),
                example="",
                note=gettext_lazy(
                    "May be left blank: every member named neither present nor on leave is absent. "
                    "With the three columns blank, an activity already recorded keeps its attendance."
                ),
            ),
        ),
    )
)
