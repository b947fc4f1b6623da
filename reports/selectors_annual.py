"""The annual report (年度工作总结): every figure of DOMAIN.md for a year and a scope, beside last year's.

Stocks (organisations, members, teams, chiefs, lecture groups, lecturers, studios) are counted as
they stood on the last day of the year, flows (activities, service, talks, visits, medals) within
the year. Each figure carries the URL of the list that shows exactly the rows it counts: the
filters of that list are the figure's definition, and tests/reports/test_annual.py follows every
link and counts. Each model is read once for both years with conditional aggregation, so the
report costs the same few queries however large the city.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scoping import scope_queryset, visible_branches
from benefits import scoping as benefit_scoping
from benefits.models import VISIT_REASONS, MedalAward
from branches.models import Activity, ActivityKind, Area, Branch, BranchMembership
from branches.records import BranchRating, Commendation, Studio
from branches.selectors import branch_compliance, existing_on
from cadres.models import Cadre
from core.periods import YEAR, Period, period_of
from education import scoping as education_scoping
from education import selectors as education_selectors
from education.models import Subject
from outreach import scoping as outreach_scoping
from outreach.models import TalkEvent, VenueType
from outreach.selectors import lecturers_in_a_group_on
from volunteers.models import CHIEF_TITLES, MicroWish, PatrolArea, ServiceRecord, VolunteerTeam
from volunteers.scoping import scope_chief_posts, scope_service_records, scope_wishes, visible_teams
from volunteers.selectors import filter_chief_posts, filter_service_records, filter_teams, filter_wishes

COUNT, SUM, RATE = "count", "sum", "rate"


@dataclass(frozen=True)
class Figure:
    """One line of the report: this year's value and last year's, each with the list behind it."""

    key: str
    label: str
    value: int | Decimal | float | None
    last: int | Decimal | float | None
    url: str = ""
    last_url: str = ""
    # 0 for a headline figure, 1 for a line of the breakdown under the figure above it.
    level: int = 0
    # COUNT: the rows of the list; SUM: a column of those rows added up; RATE: a percentage of them.
    measure: str = COUNT

    @property
    def change(self):
        if self.value is None or self.last is None:
            return None
        return self.value - self.last

    @property
    def change_percent(self) -> float | None:
        if self.measure == RATE or self.change is None or not self.last:
            return None
        return round(100 * float(self.change) / float(self.last), 1)


@dataclass(frozen=True)
class Table:
    """A table of its own within a section (campaign progress), with a URL per cell where there is one."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[tuple[object, str]]]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    type: str
    labels: list[str]
    # (series name, values) per series: this year and last year.
    series: list[tuple[str, list]]

    @property
    def rows(self) -> list[tuple[str, list]]:
        """The chart as a table: each label with its value in each series."""
        return [(label, [values[i] for _name, values in self.series]) for i, label in enumerate(self.labels)]

    def data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "type": self.type,
            "labels": self.labels,
            "series": [{"label": label, "data": [float(v) for v in values]} for label, values in self.series],
        }


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure]
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AnnualReport:
    year: int
    last_year: int
    # The day stocks are counted on: 31 December, or today for the year in progress.
    as_of: dt.date
    last_as_of: dt.date
    scope_branch: Branch | None
    scope_area: Area | None
    sections: list[Section]

    @property
    def in_progress(self) -> bool:
        return self.as_of.year == self.year and (self.as_of.month, self.as_of.day) != (12, 31)

    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]

    def figure(self, key: str) -> Figure:
        return next(figure for figure in self.figures() if figure.key == key)

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def chart_data(self) -> list[dict]:
        return [chart.data() for section in self.sections for chart in section.charts]


# Scope -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """The branch subtree and the area the report is narrowed to; both apply when both are given."""

    branch: Branch | None
    area: Area | None

    def q(self, branch_fields=(), area_fields=()) -> Q:
        """Rows with any of `branch_fields` in the branch's subtree and any of `area_fields` in the area's."""
        condition = Q()
        if self.branch is not None and branch_fields:
            subtree = Branch.objects.filter(path__startswith=self.branch.path).values("pk")
            condition &= reduce(or_, (Q(**{f"{name}__in": subtree}) for name in branch_fields))
        if self.area is not None and area_fields:
            areas = Area.objects.filter(path__startswith=self.area.path).values("pk")
            condition &= reduce(or_, (Q(**{f"{name}__in": areas}) for name in area_fields))
        return condition

    def params(self, branch: str = "branch", area: str = "area") -> dict:
        params = {}
        if self.branch is not None:
            params[branch] = self.branch.pk
        if self.area is not None:
            params[area] = self.area.pk
        return params


@dataclass(frozen=True)
class _Year:
    year: int
    period: Period
    day: dt.date  # the day stocks are counted on

    @property
    def label(self) -> str:
        return str(self.year)

    def flows(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.period.start, f"{field_name}__lt": self.period.end})


def _link(name: str, **params) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _both(key, label, values: dict, urls, **options) -> Figure:
    """A figure from {year: value} and a function year -> URL, for this year and last."""
    this, last = options.pop("years")
    return Figure(
        key=key,
        label=label,
        value=values[this.year],
        last=values[last.year],
        url=urls(this) if urls else "",
        last_url=urls(last) if urls else "",
        **options,
    )


def _percent(part, whole) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None


def annual_organisation_list(*, user, rating_year: int | None = None):
    """The Party organisations `user` may see in tree order, with the stars of `rating_year` if given:
    the list behind the report's organisation figures."""
    branches = visible_branches(user).select_related("area").order_by("path")
    if rating_year is None:
        return branches.annotate(stars=Value(None, output_field=IntegerField()))
    stars = BranchRating.objects.filter(branch=OuterRef("pk"), year=rating_year).values("stars")[:1]
    return branches.annotate(stars=Subquery(stars, output_field=IntegerField()))


# The report ------------------------------------------------------------------------------------


def annual_report(
    *, user, year: int, scope_branch: Branch | None = None, scope_area: Area | None = None
) -> AnnualReport:
    """The annual report of `year` beside `year - 1`, for what `user` sees within the branch subtree
    `scope_branch` and the area `scope_area` (either may be None). A constant number of queries."""
    today = timezone.localdate()
    this = _Year(year, period_of(YEAR, dt.date(year, 1, 1)), min(dt.date(year, 12, 31), today))
    last = _Year(year - 1, period_of(YEAR, dt.date(year - 1, 1, 1)), dt.date(year - 1, 12, 31))
    years = (this, last)
    scope = _Scope(scope_branch, scope_area)
    sections = [
        _organisation(user, scope, years),
        _branch_life(user, scope, years),
        _volunteering(user, scope, years),
        _outreach(user, scope, years),
        _care(user, scope, years),
    ]
    return AnnualReport(
        year=this.year,
        last_year=last.year,
        as_of=this.day,
        last_as_of=last.day,
        scope_branch=scope_branch,
        scope_area=scope_area,
        sections=sections,
    )


# 组织建设: organisations, ratings, members, commendations, studios ---------------------------------


def _organisation(user, scope: _Scope, years) -> Section:
    kinds = Branch.Kind.choices
    branches = visible_branches(user).filter(scope.q(["pk"], ["area"]))
    counts = branches.aggregate(
        **{
            f"{code}_{y.year}": Count("pk", filter=Q(kind=code) & existing_on(y.day))
            for code, _label in kinds
            for y in years
        },
        **{f"all_{y.year}": Count("pk", filter=existing_on(y.day)) for y in years},
        **{f"new_{y.year}": Count("pk", filter=y.flows("founded_on")) for y in years},
    )
    figures = [
        _both(
            "organisations",
            _("Party organisations at year end"),
            {y.year: counts[f"all_{y.year}"] for y in years},
            _orgs(scope, lambda y: {"on": y.day}),
            years=years,
        )
    ]
    for code, label in kinds:
        figures.append(
            _both(
                f"organisations_{code}",
                str(label),
                {y.year: counts[f"{code}_{y.year}"] for y in years},
                _orgs(scope, lambda y, code=code: {"on": y.day, "kind": code}),
                years=years,
                level=1,
            )
        )
    figures.append(
        _both(
            "organisations_new",
            _("New Party organisations founded in the year"),
            {y.year: counts[f"new_{y.year}"] for y in years},
            _orgs(scope, lambda y: {"founded": y.year}),
            years=years,
        )
    )

    ratings = scope_queryset(user, BranchRating.objects.all()).filter(scope.q(["branch"], ["branch__area"]))
    rated = ratings.aggregate(
        **{f"rated_{y.year}": Count("pk", filter=Q(year=y.year)) for y in years},
        **{
            f"stars{n}_{y.year}": Count("pk", filter=Q(year=y.year, stars=n))
            for n in range(5, 0, -1)
            for y in years
        },
    )
    figures.append(
        _both(
            "rated",
            _("Organisations rated in the year's assessment"),
            {y.year: rated[f"rated_{y.year}"] for y in years},
            _orgs(scope, lambda y: {"rating_year": y.year}),
            years=years,
        )
    )
    for n in range(5, 0, -1):
        figures.append(
            _both(
                f"rated_{n}_stars",
                ngettext("%(stars)s star", "%(stars)s stars", n) % {"stars": n},
                {y.year: rated[f"stars{n}_{y.year}"] for y in years},
                _orgs(scope, lambda y, n=n: {"rating_year": y.year, "stars": n}),
                years=years,
                level=1,
            )
        )

    # Members: cadres (whom the user may see in the registry) alive on the day, with a membership open
    # that day in a branch of the scope; an area narrows by where the cadre lives, as the list does.
    # A cadre's memberships never overlap (a transfer's day closes one and opens the next), so
    # counting memberships counts cadres. The dead are found through their small index
    # (cadre_deceased_idx) rather than by joining the whole registry.
    memberships = scope_queryset(user, BranchMembership.objects.all(), "cadre__branch").filter(
        scope.q(["branch"], ["cadre__area"])
    )
    members = memberships.aggregate(
        **{
            f"members_{y.year}": Count(
                "pk",
                filter=existing_on(y.day, start="joined_on", end="left_on")
                & ~Q(cadre__in=Cadre.objects.filter(deceased_on__lte=y.day).values("pk")),
            )
            for y in years
        }
    )
    figures.append(
        _both(
            "members",
            _("Branch members at year end"),
            {y.year: members[f"members_{y.year}"] for y in years},
            lambda y: _link("cadres:cadre_list", status="all", member_on=y.day.isoformat(), **scope.params()),
            years=years,
        )
    )

    commendations = (
        scope_queryset(user, Commendation.objects.all(), "branch")
        | scope_queryset(user, Commendation.objects.all(), "cadre__branch")
    ).filter(scope.q(["branch", "cadre__branch"], ["branch__area", "cadre__area"]))
    commended = commendations.aggregate(
        **{f"all_{y.year}": Count("pk", filter=Q(year=y.year)) for y in years},
        **{
            f"{code}_{y.year}": Count("pk", filter=Q(year=y.year, kind=code))
            for code, _label in Commendation.Kind.choices
            for y in years
        },
    )

    def commendation_list(**extra):
        return lambda y: _link("branches:commendation_list", year=y.year, **scope.params(), **extra)

    figures.append(
        _both(
            "commendations",
            _("Commendations (model branches, secretaries and members)"),
            {y.year: commended[f"all_{y.year}"] for y in years},
            commendation_list(),
            years=years,
        )
    )
    for code, label in Commendation.Kind.choices:
        figures.append(
            _both(
                f"commendations_{code}",
                str(label),
                {y.year: commended[f"{code}_{y.year}"] for y in years},
                commendation_list(kind=code),
                years=years,
                level=1,
            )
        )

    studios = scope_queryset(user, Studio.objects.all(), "run_by__branch").filter(
        scope.q(["run_by__branch"], ["area"])
    )
    studio_counts = studios.aggregate(
        **{
            f"studios_{y.year}": Count("pk", filter=Q(founded_on__isnull=True) | Q(founded_on__lte=y.day))
            for y in years
        }
    )
    figures.append(
        _both(
            "studios",
            _("Veteran members' studios at year end"),
            {y.year: studio_counts[f"studios_{y.year}"] for y in years},
            lambda y: _link("branches:studio_list", on=y.day.isoformat(), **scope.params()),
            years=years,
        )
    )
    return Section("organisation", _("Organisation building"), figures)


def _orgs(scope: _Scope, params):
    """The URL of the organisations list behind a figure: the scope and `params(year)`."""

    def url(y):
        values = {
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in params(y).items()
        }
        return _link("reports:annual_organisations", **scope.params(), **values)

    return url


# 组织生活: activities, attendance, compliance of 三会一课 ------------------------------------------


def _branch_life(user, scope: _Scope, years) -> Section:
    this, last = years
    activities = scope_queryset(user, Activity.objects.all()).filter(scope.q(["branch"], ["branch__area"]))
    rows = list(
        activities.filter(held_on__gte=last.period.start, held_on__lt=this.period.end)
        .annotate(month=TruncMonth("held_on"))
        .values("kind_id", "month")
        .annotate(n=Count("pk"), present=Sum("present_count"), roll=Sum("roll_count"))
        .order_by()
    )
    kinds = list(ActivityKind.objects.order_by("sort_order", "id"))
    held, present, roll = {}, {}, {}
    by_month = {y.year: [0] * 12 for y in years}
    for row in rows:
        month = row["month"]
        held[month.year, row["kind_id"]] = held.get((month.year, row["kind_id"]), 0) + row["n"]
        present[month.year] = present.get(month.year, 0) + (row["present"] or 0)
        roll[month.year] = roll.get(month.year, 0) + (row["roll"] or 0)
        by_month[month.year][month.month - 1] += row["n"]

    def activity_list(**extra):
        return lambda y: _link("branches:activity_list", period=y.label, **scope.params(), **extra)

    totals = {y.year: sum(by_month[y.year]) for y in years}
    figures = [_both("activities", _("Branch activities held"), totals, activity_list(), years=years)]
    shown = [kind for kind in kinds if kind.is_active or any(held.get((y.year, kind.pk)) for y in years)]
    for kind in shown:
        figures.append(
            _both(
                f"activities_kind_{kind.code}",
                kind.name,
                {y.year: held.get((y.year, kind.pk), 0) for y in years},
                activity_list(kind=kind.pk),
                years=years,
                level=1,
            )
        )
    figures += [
        _both(
            "attendance_present",
            _("Members present (person-times)"),
            {y.year: present.get(y.year, 0) for y in years},
            activity_list(),
            years=years,
            measure=SUM,
        ),
        _both(
            "attendance_rate",
            _("Attendance rate (%)"),
            {y.year: _percent(present.get(y.year, 0), roll.get(y.year, 0)) for y in years},
            activity_list(),
            years=years,
            measure=RATE,
        ),
    ]

    compliance = {
        y.year: branch_compliance(user=user, period=y.period, root=scope.branch, area=scope.area)
        for y in years
    }

    def compliance_page(**extra):
        return lambda y: _link("reports:compliance", period=y.label, **scope.params(branch="root"), **extra)

    owing = {year: len(rows) for year, rows in compliance.items()}
    compliant = {year: sum(1 for row in rows if row.compliant) for year, rows in compliance.items()}
    figures += [
        _both(
            "compliance_organisations",
            _("Organisations owing the three meetings and one lecture"),
            owing,
            compliance_page(),
            years=years,
        ),
        _both(
            "compliance_compliant",
            _("Held every required meeting"),
            compliant,
            compliance_page(only="compliant"),
            years=years,
            level=1,
        ),
        _both(
            "compliance_noncompliant",
            _("Missed a required meeting"),
            {year: owing[year] - compliant[year] for year in owing},
            compliance_page(only="noncompliant"),
            years=years,
            level=1,
        ),
        _both(
            "compliance_share",
            _("Share compliant (%)"),
            {year: _percent(compliant[year], owing[year]) for year in owing},
            compliance_page(),
            years=years,
            measure=RATE,
        ),
    ]
    notes = []
    if this.day < dt.date(this.year, 12, 31):
        notes.append(_("The year is not over: the months still to come count as missed meetings."))
    month_labels = [_("Month %(month)s") % {"month": month} for month in range(1, 13)]
    charts = [
        Chart(
            "activities_by_month",
            _("Activities by month"),
            "bar",
            month_labels,
            [(y.label, by_month[y.year]) for y in years],
        ),
        Chart(
            "activities_by_kind",
            _("Activities by kind"),
            "bar",
            [kind.name for kind in shown],
            [(y.label, [held.get((y.year, kind.pk), 0) for kind in shown]) for y in years],
        ),
    ]
    return Section("branch_life", _("Political and branch life"), figures, charts=charts, notes=notes)


# 志愿服务: teams, chiefs and what they cover, service, micro-wishes --------------------------------


def _volunteering(user, scope: _Scope, years) -> Section:
    teams = filter_teams(visible_teams(user), branch=scope.branch, area=scope.area)
    levels = VolunteerTeam.Level.choices
    team_counts = teams.aggregate(
        **{f"all_{y.year}": Count("pk", filter=existing_on(y.day)) for y in years},
        **{
            f"{code}_{y.year}": Count("pk", filter=Q(level=code) & existing_on(y.day))
            for code, _label in levels
            for y in years
        },
    )

    def team_list(**extra):
        return lambda y: _link("volunteers:team_list", on=y.day.isoformat(), **scope.params(), **extra)

    figures = [
        _both(
            "teams",
            _("Volunteer teams at year end"),
            {y.year: team_counts[f"all_{y.year}"] for y in years},
            team_list(),
            years=years,
        )
    ]
    for code, label in levels:
        figures.append(
            _both(
                f"teams_{code}",
                str(label),
                {y.year: team_counts[f"{code}_{y.year}"] for y in years},
                team_list(level=code),
                years=years,
                level=1,
            )
        )

    posts = filter_chief_posts(scope_chief_posts(user), branch=scope.branch, area=scope.area)
    held_on = {y.year: existing_on(y.day, start="appointed_on", end="ended_on") for y in years}
    kinds = PatrolArea.Kind.values
    post_counts = posts.aggregate(
        **{f"posts_{y.year}": Count("pk", filter=held_on[y.year]) for y in years},
        **{f"areas_{y.year}": Count("patrol_area", distinct=True, filter=held_on[y.year]) for y in years},
        **{
            f"posts_{kind}_{y.year}": Count("pk", filter=held_on[y.year] & Q(patrol_area__kind=kind))
            for kind in kinds
            for y in years
        },
        **{
            f"areas_{kind}_{y.year}": Count(
                "patrol_area", distinct=True, filter=held_on[y.year] & Q(patrol_area__kind=kind)
            )
            for kind in kinds
            for y in years
        },
    )

    def chief_posts(**extra):
        return lambda y: _link("volunteers:chief_post_list", on=y.day.isoformat(), **scope.params(), **extra)

    def patrol_areas(**extra):
        return lambda y: _link(
            "volunteers:patrol_area_list", covered_on=y.day.isoformat(), **scope.params(), **extra
        )

    figures.append(
        _both(
            "chief_posts",
            _("River, road and grid chiefs in post at year end"),
            {y.year: post_counts[f"posts_{y.year}"] for y in years},
            chief_posts(),
            years=years,
        )
    )
    for kind in kinds:
        figures.append(
            _both(
                f"chief_posts_{kind}",
                str(CHIEF_TITLES[kind]),
                {y.year: post_counts[f"posts_{kind}_{y.year}"] for y in years},
                chief_posts(kind=kind),
                years=years,
                level=1,
            )
        )
    figures.append(
        _both(
            "patrol_areas",
            _("Rivers, roads and grids covered"),
            {y.year: post_counts[f"areas_{y.year}"] for y in years},
            patrol_areas(),
            years=years,
        )
    )
    for kind, label in PatrolArea.Kind.choices:
        figures.append(
            _both(
                f"patrol_areas_{kind}",
                str(label),
                {y.year: post_counts[f"areas_{kind}_{y.year}"] for y in years},
                patrol_areas(kind=kind),
                years=years,
                level=1,
            )
        )

    records = filter_service_records(
        scope_service_records(user, ServiceRecord.objects.all()), branch=scope.branch, area=scope.area
    )
    aggregates = {}
    for y in years:
        served = y.flows("served_on")
        aggregates |= {
            f"records_{y.year}": Count("pk", filter=served),
            f"patrols_{y.year}": Count("pk", filter=served & Q(kind=ServiceRecord.Kind.PATROL)),
            **{
                f"{name}_{y.year}": Sum(name, filter=served)
                for name in ("hours", "people_served", "problems_found", "problems_resolved")
            },
        }
    record_sums = records.aggregate(**aggregates)

    def record_list(**extra):
        return lambda y: _link("volunteers:record_list", period=y.label, **scope.params(), **extra)

    def sums(name, zero=0):
        return {y.year: record_sums[f"{name}_{y.year}"] or zero for y in years}

    figures += [
        _both("service_records", _("Service records"), sums("records"), record_list(), years=years),
        _both(
            "service_patrols",
            _("Patrols"),
            sums("patrols"),
            record_list(kind=ServiceRecord.Kind.PATROL),
            years=years,
            level=1,
        ),
        _both(
            "service_hours",
            _("Hours of service"),
            sums("hours", Decimal("0")),
            record_list(),
            years=years,
            measure=SUM,
        ),
        _both(
            "people_served",
            _("People served"),
            sums("people_served"),
            record_list(),
            years=years,
            measure=SUM,
        ),
        _both(
            "problems_found",
            _("Problems found"),
            sums("problems_found"),
            record_list(),
            years=years,
            measure=SUM,
        ),
        _both(
            "problems_resolved",
            _("Problems resolved"),
            sums("problems_resolved"),
            record_list(),
            years=years,
            measure=SUM,
        ),
    ]

    wishes = filter_wishes(scope_wishes(user, MicroWish.objects.all()), branch=scope.branch, area=scope.area)
    wish_counts = wishes.aggregate(
        **{f"posted_{y.year}": Count("pk", filter=y.flows("posted_on")) for y in years},
        **{f"fulfilled_{y.year}": Count("pk", filter=y.flows("fulfilled_on")) for y in years},
    )
    for name, label in (("posted", _("Micro-wishes posted")), ("fulfilled", _("Micro-wishes fulfilled"))):
        figures.append(
            _both(
                f"wishes_{name}",
                label,
                {y.year: wish_counts[f"{name}_{y.year}"] for y in years},
                lambda y, name=name: _link(
                    "volunteers:wish_list", period=y.label, dated=name, **scope.params()
                ),
                years=years,
            )
        )
    return Section("volunteering", _("Volunteer service"), figures)


# 宣讲: lecture groups, lecturers, talks, campaigns ---------------------------------------------------


def _outreach(user, scope: _Scope, years) -> Section:
    this, _last = years
    groups = outreach_scoping.groups_visible(user).filter(scope.q(["branch"], ["area"]))
    group_counts = groups.aggregate(
        **{
            f"groups_{y.year}": Count("pk", filter=Q(founded_on__isnull=True) | Q(founded_on__lte=y.day))
            for y in years
        }
    )
    lecturers = outreach_scoping.lecturers_visible(user).filter(scope.q(["cadre__branch"], ["cadre__area"]))
    lecturer_counts = lecturers.aggregate(
        **{
            f"lecturers_{y.year}": Count("pk", filter=Q(pk__in=lecturers_in_a_group_on(day=y.day)))
            for y in years
        }
    )
    figures = [
        _both(
            "lecture_groups",
            _("Lecture groups at year end"),
            {y.year: group_counts[f"groups_{y.year}"] for y in years},
            lambda y: _link("outreach:group_list", on=y.day.isoformat(), **scope.params()),
            years=years,
        ),
        _both(
            "lecturers",
            _("Lecturers in a lecture group at year end"),
            {y.year: lecturer_counts[f"lecturers_{y.year}"] for y in years},
            lambda y: _link("outreach:lecturer_list", in_group_on=y.day.isoformat(), **scope.params()),
            years=years,
        ),
    ]

    talks = outreach_scoping.talks_visible(user).filter(scope.q(["group__branch"], ["area"]))
    venues = VenueType.choices
    talk_sums = talks.aggregate(
        **{f"talks_{y.year}": Count("pk", filter=y.flows("held_on")) for y in years},
        **{f"audience_{y.year}": Sum("audience", filter=y.flows("held_on")) for y in years},
        **{f"youth_{y.year}": Sum("youth_audience", filter=y.flows("held_on")) for y in years},
        **{
            f"{code}_{y.year}": Count("pk", filter=y.flows("held_on") & Q(venue_type=code))
            for code, _label in venues
            for y in years
        },
    )

    def talk_list(**extra):
        return lambda y: _link("outreach:talk_list", period=y.label, **scope.params(), **extra)

    figures.append(
        _both(
            "talks",
            _("Talks given"),
            {y.year: talk_sums[f"talks_{y.year}"] for y in years},
            talk_list(),
            years=years,
        )
    )
    for code, label in venues:
        figures.append(
            _both(
                f"talks_{code}",
                str(label),
                {y.year: talk_sums[f"{code}_{y.year}"] for y in years},
                talk_list(venue_type=code),
                years=years,
                level=1,
            )
        )
    figures += [
        _both(
            "audience",
            _("Audience"),
            {y.year: talk_sums[f"audience_{y.year}"] or 0 for y in years},
            talk_list(),
            years=years,
            measure=SUM,
        ),
        _both(
            "youth_audience",
            _("Young people in the audience"),
            {y.year: talk_sums[f"youth_{y.year}"] or 0 for y in years},
            talk_list(),
            years=years,
            measure=SUM,
            level=1,
        ),
    ]
    charts = [
        Chart(
            "talks_by_venue",
            _("Talks by venue type"),
            "bar",
            [str(label) for _code, label in venues],
            [(y.label, [talk_sums[f"{code}_{y.year}"] for code, _label in venues]) for y in years],
        )
    ]
    return Section(
        "outreach", _("Outreach"), figures, charts=charts, tables=[_campaign_progress(user, scope, this)]
    )


def _campaign_progress(user, scope: _Scope, this: _Year) -> Table:
    """Campaigns running in the year, with their talks (of those the user sees) from their start to
    the end of the year, or of the campaign if sooner, against the targets. Three queries."""
    running = (
        outreach_scoping.campaigns_visible(user)
        .filter(scope.q(["branch"], ["area"]))
        .filter(starts_on__lt=this.period.end, ends_on__gte=this.period.start)
    )
    campaigns = list(running.order_by("starts_on", "id"))
    # A subquery rather than the ids: the same three queries whether or not a campaign ran.
    talks = (
        outreach_scoping.talks_visible(user)
        .filter(campaign__in=running.values("pk"))
        .filter(held_on__gte=F("campaign__starts_on"), held_on__lte=F("campaign__ends_on"))
        .filter(held_on__lte=this.day)
    )
    totals = {
        row["campaign"]: row
        for row in talks.order_by().values("campaign").annotate(talks=Count("pk"), audience=Sum("audience"))
    }
    lecturers = dict(
        TalkEvent.lecturers.through.objects.filter(talkevent__in=talks.values("pk"))
        .order_by()
        .values("talkevent__campaign")
        .annotate(n=Count("lecturer_id", distinct=True))
        .values_list("talkevent__campaign", "n")
    )
    rows = []
    for campaign in campaigns:
        row = totals.get(campaign.pk, {})
        until = min(campaign.ends_on, this.day)
        talks_url = _link(
            "outreach:talk_list",
            campaign=campaign.pk,
            held_from=campaign.starts_on.isoformat(),
            held_until=until.isoformat(),
        )
        count, audience = row.get("talks", 0), row.get("audience") or 0
        rows.append(
            [
                (campaign.name, reverse("outreach:campaign_detail", args=[campaign.pk])),
                (f"{campaign.starts_on:%Y-%m-%d} – {campaign.ends_on:%Y-%m-%d}", ""),
                (lecturers.get(campaign.pk, 0), ""),
                (campaign.target_lecturers, ""),
                (count, talks_url),
                (campaign.target_talks, ""),
                (_percent(count, campaign.target_talks), ""),
                (audience, talks_url),
                (campaign.target_audience, ""),
                (_percent(audience, campaign.target_audience), ""),
            ]
        )
    return Table(
        "campaigns",
        _("Campaign progress against targets, to the end of the year"),
        [
            _("Campaign"),
            _("Runs"),
            _("Lecturers"),
            _("Target lecturers"),
            _("Talks"),
            _("Target talks"),
            _("Talks, percent of target"),
            _("Audience"),
            _("Target audience"),
            _("Audience, percent of target"),
        ],
        rows,
    )


# 服务保障: visits (六必访), people visited, contacts kept, medals ----------------------------------


def _care(user, scope: _Scope, years) -> Section:
    visits = benefit_scoping.visits_visible(user).filter(scope.q(["cadre__branch"], ["cadre__area"]))
    visit_counts = visits.aggregate(
        **{f"visits_{y.year}": Count("pk", filter=y.flows("visited_on")) for y in years},
        **{f"people_{y.year}": Count("cadre", distinct=True, filter=y.flows("visited_on")) for y in years},
        **{
            f"{code}_{y.year}": Count("pk", filter=y.flows("visited_on") & Q(reason=code))
            for code, _label in VISIT_REASONS
            for y in years
        },
    )

    def visit_list(**extra):
        return lambda y: _link("benefits:visit_list", period=y.label, **scope.params(), **extra)

    figures = [
        _both(
            "visits",
            _("Visits"),
            {y.year: visit_counts[f"visits_{y.year}"] for y in years},
            visit_list(),
            years=years,
        )
    ]
    for code, label in VISIT_REASONS:
        figures.append(
            _both(
                f"visits_{code}",
                str(label),
                {y.year: visit_counts[f"{code}_{y.year}"] for y in years},
                visit_list(reason=code),
                years=years,
                level=1,
            )
        )
    figures.append(
        _both(
            "people_visited",
            _("People visited"),
            {y.year: visit_counts[f"people_{y.year}"] for y in years},
            lambda y: _link("cadres:cadre_list", status="all", visited=y.label, **scope.params()),
            years=years,
        )
    )

    logs = benefit_scoping.contact_logs_visible(user).filter(
        scope.q(["assignment__cadre__branch"], ["assignment__cadre__area"])
    )
    log_counts = logs.aggregate(
        **{f"logs_{y.year}": Count("pk", filter=y.flows("contacted_on")) for y in years}
    )
    figures.append(
        _both(
            "contacts",
            _("One-to-one contacts kept"),
            {y.year: log_counts[f"logs_{y.year}"] for y in years},
            lambda y: _link("benefits:contact_log_list", period=y.label, **scope.params()),
            years=years,
        )
    )

    medals = benefit_scoping.medals_visible(user).filter(scope.q(["cadre__branch"], ["cadre__area"]))
    medal_counts = medals.aggregate(
        **{f"medals_{y.year}": Count("pk", filter=y.flows("awarded_on")) for y in years},
        **{
            f"{code}_{y.year}": Count("pk", filter=y.flows("awarded_on") & Q(kind=code))
            for code, _label in MedalAward.Kind.choices
            for y in years
        },
    )

    def medal_list(**extra):
        return lambda y: _link("benefits:medal_list", period=y.label, **scope.params(), **extra)

    figures.append(
        _both(
            "medals",
            _("Medals and honours awarded"),
            {y.year: medal_counts[f"medals_{y.year}"] for y in years},
            medal_list(),
            years=years,
        )
    )
    for code, label in MedalAward.Kind.choices:
        figures.append(
            _both(
                f"medals_{code}",
                str(label),
                {y.year: medal_counts[f"{code}_{y.year}"] for y in years},
                medal_list(kind=code),
                years=years,
                level=1,
            )
        )
    charts = [
        Chart(
            "visits_by_reason",
            _("Visits by reason"),
            "bar",
            [str(label) for _code, label in VISIT_REASONS],
            [(y.label, [visit_counts[f"{code}_{y.year}"] for code, _label in VISIT_REASONS]) for y in years],
        )
    ]
    figures += _senior_university(user, scope, years)
    return Section("care", _("Care and benefits"), figures, charts=charts)


# 文化养老: the senior university and its branch schools ------------------------------------------


def _senior_university(user, scope: _Scope, years) -> list[Figure]:
    """Branch schools open at year end, the year's courses (by subject), their enrolments and the
    distinct cadres enrolled: three queries, each over the very queryset its list shows
    (education.selectors), so a figure and its list cannot drift apart.

    Schools and courses lie in the scope's area where the school is; with a branch scope they are
    those its members attend. Enrolments, like visits, follow the student: their branch and where
    they live."""
    schools = education_selectors.filter_schools(
        education_scoping.schools_visible(user),
        kind=education_selectors.BRANCH_SCHOOL,
        branch=scope.branch,
        area=scope.area,
    )
    school_counts = schools.aggregate(
        **{
            f"schools_{y.year}": Count("pk", filter=existing_on(y.day, start="founded_on", end="closed_on"))
            for y in years
        }
    )
    year_numbers = [y.year for y in years]
    subjects = Subject.choices
    courses = education_selectors.filter_courses(
        education_scoping.courses_visible(user), branch=scope.branch, area=scope.area
    )
    course_counts = courses.filter(year__in=year_numbers).aggregate(
        **{f"courses_{y.year}": Count("pk", filter=Q(year=y.year)) for y in years},
        **{
            f"courses_{code}_{y.year}": Count("pk", filter=Q(year=y.year, subject=code))
            for code, _label in subjects
            for y in years
        },
    )
    enrolments = education_selectors.filter_enrolments(
        education_scoping.enrolments_visible(user), branch=scope.branch, area=scope.area
    )
    enrolment_counts = enrolments.filter(course__year__in=year_numbers).aggregate(
        **{f"enrolments_{y.year}": Count("pk", filter=Q(course__year=y.year)) for y in years},
        **{f"students_{y.year}": Count("cadre", distinct=True, filter=Q(course__year=y.year)) for y in years},
    )

    def course_list(**extra):
        return lambda y: _link("education:course_list", year=y.year, **scope.params(), **extra)

    figures = [
        _both(
            "senior_schools",
            _("Senior-university branch schools open at year end"),
            {y.year: school_counts[f"schools_{y.year}"] for y in years},
            lambda y: _link(
                "education:school_list",
                kind=education_selectors.BRANCH_SCHOOL,
                on=y.day.isoformat(),
                **scope.params(),
            ),
            years=years,
        ),
        _both(
            "senior_courses",
            _("Senior-university courses of the year"),
            {y.year: course_counts[f"courses_{y.year}"] for y in years},
            course_list(),
            years=years,
        ),
    ]
    for code, label in subjects:
        figures.append(
            _both(
                f"senior_courses_{code}",
                str(label),
                {y.year: course_counts[f"courses_{code}_{y.year}"] for y in years},
                course_list(subject=code),
                years=years,
                level=1,
            )
        )
    figures += [
        _both(
            "senior_enrolments",
            _("Senior-university enrolments on the year's courses"),
            {y.year: enrolment_counts[f"enrolments_{y.year}"] for y in years},
            lambda y: _link("education:enrolment_list", year=y.year, **scope.params()),
            years=years,
        ),
        _both(
            "senior_students",
            _("Cadres enrolled on the year's courses"),
            {y.year: enrolment_counts[f"students_{y.year}"] for y in years},
            lambda y: _link("cadres:cadre_list", status="all", enrolled=y.year, **scope.params()),
            years=years,
        ),
    ]
    return figures
