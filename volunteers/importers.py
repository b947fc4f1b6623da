"""The spreadsheets of volunteer teams, chief posts (银发三长) and service records (imports.records).

Headers and choice labels are data in Chinese, the same in every language, as the bureaus' own
sheets are (see imports.specs). Every row is written through volunteers.services; which rows a
user may write is volunteers.scoping's: a team, post or cadre the user cannot see is named in
the row's error as unknown, exactly as the web forms refuse it.

Names of teams, patrol areas, projects and areas are matched as a sheet spells them (NFKC, runs
of spaces as one: imports.cleaning), so "城东（一）小队" typed on the web is found by the
"城东(一)小队" a spreadsheet cell reads as, and an exported sheet imports back unchanged.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Area
from core.masking import mask_id_number
from imports import cleaning
from imports.records import (
    Outcome,
    RecordResource,
    RowProblem,
    branches_named,
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
from volunteers import services
from volunteers.models import ChiefPost, PatrolArea, ServiceProject, ServiceRecord, VolunteerTeam
from volunteers.scoping import (
    scope_chief_posts,
    scope_service_records,
    visible_patrol_areas,
    visible_teams,
    volunteer_cadres,
)

LEVEL_LABELS = {
    VolunteerTeam.Level.CORPS: "总队",
    VolunteerTeam.Level.DETACHMENT: "支队",
    VolunteerTeam.Level.SQUADRON: "中队",
    VolunteerTeam.Level.SQUAD: "小队",
}
# 河长, 路长, 网格长: a post's kind is its patrol area's.
CHIEF_KIND_LABELS = {
    PatrolArea.Kind.RIVER: "河长",
    PatrolArea.Kind.ROAD: "路长",
    PatrolArea.Kind.GRID: "网格长",
}
RECORD_KIND_LABELS = {
    ServiceRecord.Kind.PATROL: "巡查",
    ServiceRecord.Kind.GRID_SERVICE: "网格服务",
    ServiceRecord.Kind.CARE_VISIT: "走访关怀",
    ServiceRecord.Kind.PUBLICITY: "宣传劝导",
    ServiceRecord.Kind.MEDIATION: "矛盾调解",
    ServiceRecord.Kind.OTHER: "其他",
}
# What a blank 服务类型 means: the kind the record form starts on.
DEFAULT_RECORD_KIND = ServiceRecord._meta.get_field("kind").default
_ID_NUMBER = re.compile(r"\d{17}[\dX]")


def _person(value) -> str:
    """A cadre given by name or by a full ID number (as the web forms take them)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A long number is an ID number Excel has already cut short: say so.
        return cleaning.id_number(value)
    raw = cleaning.name(value)
    if _ID_NUMBER.fullmatch(raw.upper()):
        return cleaning.id_number(raw)
    if len(raw) > 50:
        raise cleaning.CellError(
            _("Too long: %(count)d characters, at most %(limit)d.") % {"count": len(raw), "limit": 50},
            "too_long",
        )
    return raw


class _ByName:
    """Records found by the name a sheet gives them; several of one name make that name
    unusable in a sheet, and the row says so."""

    def __init__(self, records, *, ambiguous: str, unknown: str, code: str, key=None):
        self.found: dict[object, list] = {}
        self.ambiguous = ambiguous
        self.unknown = unknown
        self.code = code
        self.key = key or (lambda record: spelled(record.name))
        for record in records:
            self.add(record)

    def add(self, record) -> None:
        self.found.setdefault(self.key(record), []).append(record)

    def get(self, key, field: str, name: str, *, among=None):
        """The one record of `key` (that `among` keeps, if given), None when there is none, a
        RowProblem when there are several."""
        matches = self.found.get(key, [])
        if among is not None:
            matches = [record for record in matches if among(record)]
        if len(matches) > 1:
            raise RowProblem(field, self.ambiguous % {"name": name}, "not_unique")
        return matches[0] if matches else None

    def require(self, key, field: str, name: str, *, among=None):
        record = self.get(key, field, name, among=among)
        if record is None:
            raise RowProblem(field, self.unknown % {"name": name}, self.code)
        return record


def _teams_by_name(teams) -> _ByName:
    return _ByName(
        teams,
        ambiguous=_("More than one volunteer team is called “%(name)s”; ask the bureau to rename one."),
        unknown=_("Unknown volunteer team “%(name)s”: no team you can see has this name."),
        code="unknown_team",
    )


def _team_named(context: dict, values: dict, field: str):
    """The team the row names in `field` (None when blank), among those the user may see."""
    name = values.get(field)
    return context["teams"].require(name, field, name) if name else None


def _areas_named(names) -> _ByName:
    wanted = set(names)
    # Areas are few (a city's streets and communities): read their names once and match them
    # as the sheet spells them.
    areas = (
        [area for area in Area.objects.only("pk", "name") if spelled(area.name) in wanted] if wanted else []
    )
    return _ByName(
        areas,
        ambiguous=_("More than one area is called “%(name)s”."),
        unknown=_("Unknown area “%(name)s”."),
        code="unknown",
    )


def _cadres_numbered(id_numbers, user) -> dict:
    """The cadres `user` may name in a volunteers form, by ID number (volunteers.scoping)."""
    return cadres_numbered(id_numbers, user, among=volunteer_cadres(user).select_related("branch"))


# Volunteer teams ------------------------------------------------------------------------------

_TEAM_FIELDS = ("level", "founded_on", "dissolved_on")


def _prepare_teams(rows, user) -> dict:
    leaders = names_in(rows, "leader")
    id_numbers = {value for value in leaders if _ID_NUMBER.fullmatch(value)}
    names = sorted(leaders - id_numbers)
    by_name: dict[str, list] = {}
    cadres = volunteer_cadres(user).only("pk", "name", "id_number")
    for start in range(0, len(names), 500):
        for cadre in cadres.filter(name__in=names[start : start + 500]).order_by("pk"):
            by_name.setdefault(cadre.name, []).append(cadre)
    return {
        "teams": _teams_by_name(visible_teams(user).select_related("area", "branch", "leader")),
        "areas": _areas_named(names_in(rows, "area")),
        "branches": branches_named(names_in(rows, "branch"), user),
        "leaders": {
            **by_name,
            **{cadre.id_number: [cadre] for cadre in cadres.filter(id_number__in=sorted(id_numbers))},
        },
    }


def _leader(context: dict, given_as: str, team: VolunteerTeam | None):
    """The cadre the 队长 cell names: by ID number, or by a name that only one cadre has."""
    if team is not None and team.leader_id and given_as in (team.leader.name, team.leader.id_number):
        # The current leader stays, even when namesakes make the name alone ambiguous.
        return team.leader
    matches = context["leaders"].get(given_as, [])
    if not matches:
        shown = mask_id_number(given_as) if _ID_NUMBER.fullmatch(given_as) else given_as
        raise RowProblem(
            "leader",
            _("No cadre you can name here is called or numbered %(text)s.") % {"text": shown},
            "unknown",
        )
    if len(matches) > 1:
        raise RowProblem(
            "leader",
            _("%(count)d cadres are called %(name)s: give the leader's ID number instead.")
            % {"count": len(matches), "name": given_as},
            "not_unique",
        )
    return matches[0]


def _apply_team(values: dict, context: dict, user) -> Outcome:
    name = values["name"]
    teams = context["teams"]
    team = teams.get(name, "name", name)
    parent = _team_named(context, values, "parent")
    fields = given(values, _TEAM_FIELDS)
    if values.get("area"):
        fields["area"] = context["areas"].require(values["area"], "area", values["area"])
    if values.get("branch"):
        fields["branch"] = named(context["branches"], values["branch"], "branch", "")
    if values.get("leader"):
        fields["leader"] = _leader(context, values["leader"], team)
    branch = fields.get("branch") or (team.branch if team is not None else None)
    branch = branch.name if branch is not None else ""
    if team is None:
        team = services.team_create(name=name, level=fields.pop("level", ""), parent=parent, **fields)
        teams.add(team)
        return Outcome("create", label=name, branch=branch)
    if parent is not None and team.path[: -VolunteerTeam.steplen] != parent.path:
        raise RowProblem(
            "parent",
            _("A team is moved in the tree on its own page, not by an import."),
            "moved",
        )
    changed = changed_columns(TEAMS, team, fields, fields)
    if not changed:
        return Outcome("skip")
    services.team_update(team=team, **fields)
    return Outcome("update", label=name, branch=branch, changed=changed)


def _team_values(team: VolunteerTeam) -> dict:
    return {
        **{field: getattr(team, field) for field in _TEAM_FIELDS},
        "name": team.name,
        "parent": team.parent_name or "",
        "area": team.area.name if team.area_id else "",
        "branch": team.branch.name if team.branch_id else "",
        "leader": team.leader.name if team.leader_id else "",
    }


TEAMS = register(
    RecordResource(
        slug="volunteer_teams",
        verbose_name=gettext_lazy("Volunteer teams"),
        model=VolunteerTeam,
        key_fields=("name",),
        perms=("volunteers.add_volunteerteam", "volunteers.change_volunteerteam"),
        list_url="volunteers:team_list",
        prepare=_prepare_teams,
        apply=_apply_team,
        queryset=lambda user: (
            visible_teams(user)
            .select_related("area", "branch", "leader")
            .annotate(parent_name=parent_name(VolunteerTeam))
            .order_by("path")
        ),
        values_of=_team_values,
        error_fields={"__all__": "dissolved_on"},
        columns=(
            Column(
                "队伍名称",
                "name",
                text_of(120),
                required=True,
                aliases=("名称", "服务队名称", "志愿服务队名称", "队名"),
                example="金秋志愿服务总队城东支队",
            ),
            Column(
                "层级",
                "level",
                labelled_choice(LEVEL_LABELS),
                aliases=("级别", "队伍层级"),
                export=label_of(LEVEL_LABELS),
                example="支队",
                note=gettext_lazy(
                    "总队, 支队, 中队 or 小队; required for a new team, and lower than its parent's."
                ),
            ),
            Column(
                "上级队伍",
                "parent",
                text_of(120),
                aliases=("上级", "上级服务队"),
                example="金秋志愿服务总队",
                note=gettext_lazy(
                    "The name of a team you can see, or of one named in an earlier row; blank for "
                    "a top-level team. A registered team is not moved by an import."
                ),
            ),
            Column("所在区域", "area", text_of(100), aliases=("区域", "服务区域"), example="昭阳街道"),
            Column(
                "所属党支部",
                "branch",
                text_of(120),
                aliases=("党支部", "所在党支部"),
                example="市城管局离退休干部党支部",
                note=gettext_lazy("The Party branch the team grew from: its secretary then sees the team."),
            ),
            Column(
                "队长",
                "leader",
                _person,
                aliases=("负责人", "队长姓名"),
                example="王建国",
                note=gettext_lazy(
                    "A registered cadre, by name; by ID number when several cadres have that name."
                ),
            ),
            Column(
                "成立日期",
                "founded_on",
                cleaning.date,
                aliases=("成立时间",),
                export=date_cell,
                example=dt.date(2021, 5, 1),
            ),
            Column(
                "撤销日期",
                "dissolved_on",
                cleaning.date,
                aliases=("解散日期",),
                export=date_cell,
                example="",
            ),
        ),
    )
)


# Chief posts (银发三长) ------------------------------------------------------------------------


def _prepare_chief_posts(rows, user) -> dict:
    cadres = _cadres_numbered((values["id_number"] for _number, values in rows), user)
    patrol_areas = _ByName(
        visible_patrol_areas(user).select_related("area"),
        key=lambda patrol_area: (patrol_area.kind, spelled(patrol_area.name)),
        ambiguous=_(
            "More than one patrol area of this kind is called “%(name)s”: give its area in the "
            "column 所在区域."
        ),
        # Not created here: a river, road or grid is registered once on its own page, and a
        # misspelt one would add a river to the count of those covered.
        unknown=_(
            "No river, road or grid of this kind you can see is called “%(name)s”; patrol areas "
            "are registered on their own page, not by an import."
        ),
        code="unknown_patrol_area",
    )
    cadre_ids = sorted(cadre.pk for cadre in cadres.values())
    posts = {}
    for start in range(0, len(cadre_ids), 500):
        held = ChiefPost.objects.filter(cadre_id__in=cadre_ids[start : start + 500]).select_related("team")
        for post in scope_chief_posts(user, held):
            posts[(post.cadre_id, post.patrol_area_id, post.appointed_on)] = post
    return {
        "cadres": cadres,
        "patrol_areas": patrol_areas,
        "teams": _teams_by_name(visible_teams(user)),
        "posts": posts,
    }


def _patrol_area(context: dict, values: dict) -> PatrolArea:
    kind, name, area = values["kind"], values["patrol_area"], values.get("area")
    return context["patrol_areas"].require(
        (kind, name),
        "patrol_area",
        name,
        among=(lambda found: spelled(found.area.name) == area) if area else None,
    )


def _apply_chief_post(values: dict, context: dict, user) -> Outcome:
    id_number = values["id_number"]
    cadre = named(
        context["cadres"],
        id_number,
        "id_number",
        _("No cadre you can see is registered under the ID number %(number)s.")
        % {"number": mask_id_number(id_number)},
    )
    check_name(cadre, values)
    patrol_area = _patrol_area(context, values)
    team = _team_named(context, values, "team")
    key = (cadre.pk, patrol_area.pk, values["appointed_on"])
    label = f"{cadre.name}（{CHIEF_KIND_LABELS[patrol_area.kind]}·{patrol_area.name}）"
    branch = cadre.branch.name if cadre.branch_id else ""
    post = context["posts"].get(key)
    if post is None:
        context["posts"][key] = services.chief_appoint(
            cadre=cadre,
            patrol_area=patrol_area,
            appointed_on=values["appointed_on"],
            ended_on=values.get("ended_on"),
            team=team,
        )
        return Outcome("create", label=label, branch=branch, id_number=mask_id_number(id_number))
    fields = given(values, ("ended_on",))
    if team is not None:
        fields["team"] = team
    changed = changed_columns(CHIEF_POSTS, post, fields, fields)
    if not changed:
        return Outcome("skip")
    services.chief_post_update(post=post, **fields)
    return Outcome("update", label=label, branch=branch, id_number=mask_id_number(id_number), changed=changed)


CHIEF_POSTS = register(
    RecordResource(
        slug="chief_posts",
        verbose_name=gettext_lazy("Chief posts"),
        model=ChiefPost,
        key_fields=("id_number", "kind", "patrol_area", "area", "appointed_on"),
        perms=("volunteers.add_chiefpost", "volunteers.change_chiefpost"),
        list_url="volunteers:chief_post_list",
        prepare=_prepare_chief_posts,
        apply=_apply_chief_post,
        queryset=lambda user: (
            scope_chief_posts(user)
            .select_related("cadre", "patrol_area__area", "team")
            .order_by("patrol_area__kind", "patrol_area__name", "appointed_on", "id")
        ),
        values_of=lambda post: {
            "name": post.cadre.name,
            "id_number": post.cadre.id_number,
            "kind": post.patrol_area.kind,
            "patrol_area": post.patrol_area.name,
            "area": post.patrol_area.area.name,
            "appointed_on": post.appointed_on,
            "ended_on": post.ended_on,
            "team": post.team.name if post.team_id else "",
        },
        error_fields={"cadre": "id_number"},
        columns=(
            Column("姓名", "name", cleaning.max_length(cleaning.name, 50), example="王建国"),
            id_number_column(),
            Column(
                "职务类型",
                "kind",
                labelled_choice(
                    CHIEF_KIND_LABELS,
                    {
                        "河道": PatrolArea.Kind.RIVER,
                        "道路": PatrolArea.Kind.ROAD,
                        "网格": PatrolArea.Kind.GRID,
                    },
                ),
                required=True,
                aliases=("职务", "类型"),
                export=label_of(CHIEF_KIND_LABELS),
                example="河长",
                note=gettext_lazy("河长, 路长 or 网格长."),
            ),
            Column(
                "巡查区域",
                "patrol_area",
                text_of(120),
                required=True,
                aliases=("河道", "道路", "网格", "负责区域", "河道/道路/网格"),
                example="车路河",
                note=gettext_lazy(
                    "The name of a river, road or grid registered under 巡查区域 in the portal; "
                    "an import does not register new ones."
                ),
            ),
            Column(
                "所在区域",
                "area",
                text_of(100),
                aliases=("区域",),
                example="昭阳街道",
                note=gettext_lazy("Needed only when two rivers, roads or grids of that kind share the name."),
            ),
            Column(
                "任职日期",
                "appointed_on",
                cleaning.date,
                required=True,
                aliases=("任命日期", "任职时间"),
                export=date_cell,
                example=dt.date(2024, 3, 1),
            ),
            Column(
                "卸任日期",
                "ended_on",
                cleaning.date,
                aliases=("离任日期", "卸任时间"),
                export=date_cell,
                example="",
                note=gettext_lazy("Blank while the chief holds the post."),
            ),
            Column(
                "所属队伍",
                "team",
                text_of(120),
                aliases=("志愿服务队", "服务队伍"),
                example="城管局银发小队",
            ),
        ),
    )
)


# Service records ------------------------------------------------------------------------------

_COUNT = cleaning.integer(0, 1_000_000)
_RECORD_NUMBERS = ("hours", "volunteers_present", "people_served", "problems_found", "problems_resolved")


def _record_key(team_id: int, served_on: dt.date, kind: str, content: str) -> tuple:
    return (team_id, served_on, kind, cleaning.single_line(content))


def _prepare_records(rows, user) -> dict:
    teams = _teams_by_name(visible_teams(user).select_related("branch"))
    named_teams = [team for name in names_in(rows, "team") for team in teams.found.get(name, [])]
    team_ids = [team.pk for team in named_teams]
    days = [values["served_on"] for _number, values in rows]
    records: dict[tuple, list] = {}
    if team_ids and days:
        for record in (
            scope_service_records(
                user,
                ServiceRecord.objects.filter(team_id__in=team_ids, served_on__range=(min(days), max(days))),
            )
            .select_related("project")
            .order_by("pk")
        ):
            records.setdefault(
                _record_key(record.team_id, record.served_on, record.kind, record.notes), []
            ).append(record)
    projects = {}
    for project in ServiceProject.objects.filter(team_id__in=team_ids):
        projects[(project.team_id, spelled(project.name))] = project
    return {"teams": teams, "records": records, "projects": projects}


def _apply_record(values: dict, context: dict, user) -> Outcome:
    team = _team_named(context, values, "team")
    served_on = values["served_on"]
    kind = values.get("kind") or DEFAULT_RECORD_KIND
    content = values.get("notes") or ""
    fields = given(values, _RECORD_NUMBERS)
    if values.get("project"):
        fields["project"] = context["projects"].get((team.pk, values["project"]))
        if fields["project"] is None:
            raise RowProblem(
                "project",
                _("The team “%(team)s” has no service project called “%(name)s”.")
                % {"team": team.name, "name": values["project"]},
                "unknown_project",
            )
    key = _record_key(team.pk, served_on, kind, content)
    matches = context["records"].get(key, [])
    if len(matches) > 1:
        raise RowProblem(
            "notes",
            _(
                "%(count)d records of this team on this day have this kind and content; "
                "correct them on their pages."
            )
            % {"count": len(matches)},
            "not_unique",
        )
    record = matches[0] if matches else None
    resolved = fields.get("problems_resolved")
    if "problems_found" not in fields and resolved is not None:
        # A sheet that counts only the problems resolved: each was found first.
        found = record.problems_found if record is not None else 0
        if resolved > found:
            fields["problems_found"] = resolved
    label = f"{team.name} {served_on.isoformat()} {RECORD_KIND_LABELS[kind]}"
    branch = team.branch.name if team.branch_id else ""
    if record is None:
        context["records"][key] = [
            services.record_create(
                served_on=served_on, kind=kind, team=team, notes=content, recorded_by=user, **fields
            )
        ]
        return Outcome("create", label=label, branch=branch)
    changed = changed_columns(SERVICE_RECORDS, record, fields, fields)
    if not changed:
        return Outcome("skip")
    services.record_update(record=record, **fields)
    return Outcome("update", label=label, branch=branch, changed=changed)


SERVICE_RECORDS = register(
    RecordResource(
        slug="service_records",
        verbose_name=gettext_lazy("Service records"),
        model=ServiceRecord,
        key_fields=("team", "served_on", "kind", "notes"),
        perms=("volunteers.add_servicerecord", "volunteers.change_servicerecord"),
        list_url="volunteers:record_list",
        prepare=_prepare_records,
        apply=_apply_record,
        queryset=lambda user: (
            scope_service_records(user, ServiceRecord.objects.filter(team__isnull=False))
            .select_related("team", "project")
            .order_by("served_on", "id")
        ),
        values_of=lambda record: {
            "team": record.team.name,
            "served_on": record.served_on,
            "kind": record.kind,
            "notes": record.notes,
            "project": record.project.name if record.project_id else "",
            **{field: getattr(record, field) for field in _RECORD_NUMBERS},
        },
        columns=(
            Column(
                "服务队伍",
                "team",
                text_of(120),
                required=True,
                aliases=("队伍名称", "志愿服务队", "服务队"),
                example="城管局银发小队",
                note=gettext_lazy("The name of a team you can see."),
            ),
            Column(
                "服务日期",
                "served_on",
                cleaning.date,
                required=True,
                aliases=("日期", "服务时间"),
                export=date_cell,
                example=dt.date(2025, 6, 14),
                note=gettext_lazy("Not in the future, nor after the team was dissolved."),
            ),
            Column(
                "服务类型",
                "kind",
                labelled_choice(
                    RECORD_KIND_LABELS,
                    {
                        "关爱走访": ServiceRecord.Kind.CARE_VISIT,
                        "走访": ServiceRecord.Kind.CARE_VISIT,
                        "宣传": ServiceRecord.Kind.PUBLICITY,
                        "调解": ServiceRecord.Kind.MEDIATION,
                    },
                ),
                aliases=("类型",),
                export=label_of(RECORD_KIND_LABELS),
                example="宣传劝导",
                note=gettext_lazy("巡查, 网格服务, 走访关怀, 宣传劝导, 矛盾调解 or 其他; blank means 巡查."),
            ),
            Column(
                "服务内容",
                "notes",
                cleaning.text,
                aliases=("内容", "服务事项", "备注"),
                example="河道沿线宣传垃圾分类",
                note=gettext_lazy(
                    "With the team, the date and the type it finds a record already imported: "
                    "a row the same in these four updates that record, any other adds one."
                ),
            ),
            Column(
                "服务项目",
                "project",
                text_of(120),
                aliases=("项目",),
                example="银发护河",
                note=gettext_lazy("A service project of that team, registered in the portal; may be blank."),
            ),
            Column(
                "服务时长(小时)",
                "hours",
                cleaning.decimal(0, 99999.9, places=1),
                aliases=("服务时长", "时长(小时)", "时长"),
                example=2.5,
            ),
            Column(
                "参与人数",
                "volunteers_present",
                _COUNT,
                aliases=("参与志愿者人数", "志愿者人数"),
                example=6,
                note=gettext_lazy("How many volunteers served; blank means 1 for a new record."),
            ),
            Column("服务人数", "people_served", _COUNT, aliases=("服务对象人数", "受益人数"), example=40),
            Column("发现问题数", "problems_found", _COUNT, aliases=("发现问题",), example=3),
            Column(
                "解决问题数",
                "problems_resolved",
                _COUNT,
                aliases=("解决问题",),
                example=2,
                note=gettext_lazy(
                    "At most the problems found; when 发现问题数 is blank it is taken to be at least this."
                ),
            ),
        ),
    )
)
