import datetime as dt

import pytest
from django.urls import reverse

from branches.models import ActivityKind, Branch
from branches.record_services import alliance_create, commendation_create, studio_create
from branches.records import Commendation
from branches.services import activity_record
from tests.factories import BranchFactory, CadreFactory
from tests.test_exports import csv_table, xlsx_table

pytestmark = pytest.mark.django_db
ACTIVITIES = reverse("branches:activity_list")
# As for the cadre list (tests/cadres/test_exports.py): the request's own nine, one for the rows.
EXPORT_QUERIES = 10


def _names(response) -> list[str]:
    return [row[0] for row in csv_table(response)[1:]]


@pytest.fixture
def theme_day(db):
    return ActivityKind.objects.get(code="theme_day")


def test_the_activity_export_keeps_the_period_and_the_secretarys_scope(
    branch_a, branch_b, secretary_a, theme_day, client_as
):
    activity_record(branch=branch_a, kind=theme_day, held_on=dt.date(2026, 7, 1), topic="七月")
    activity_record(branch=branch_a, kind=theme_day, held_on=dt.date(2026, 8, 1), topic="八月")
    activity_record(branch=branch_b, kind=theme_day, held_on=dt.date(2026, 7, 2), topic="别的支部")
    client = client_as(secretary_a)
    header, *rows = csv_table(client.get(ACTIVITIES, {"period": "2026-07", "format": "csv"}))
    assert [row[2] for row in rows] == ["七月"]
    assert rows[0][:4] == ["2026-07-01", theme_day.name, "七月", branch_a.name]
    assert header == ["活动日期", "类型", "主题", "党支部", "出席人数", "应到人数"]


def test_the_activity_export_counts_who_was_present(branch_a, staff_user, theme_day, client_as):
    present, absent = CadreFactory(branch=branch_a), CadreFactory(branch=branch_a)
    activity_record(
        branch=branch_a,
        kind=theme_day,
        held_on=dt.date(2026, 7, 1),
        topic="七月",
        attendance={present.pk: ("present", ""), absent.pk: ("absent", "")},
    )
    _header, row = xlsx_table(client_as(staff_user).get(ACTIVITIES, {"format": "xlsx"}))
    assert row[-2:] == [1, 2]


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_the_activity_export_runs_the_same_queries_for_3_and_60_activities(
    file_type, branch_a, secretary_a, theme_day, client_as, django_assert_num_queries
):
    client = client_as(secretary_a)
    day = dt.date(2026, 1, 1)
    for total, added in ((3, 3), (60, 57)):
        for _ in range(added):
            day += dt.timedelta(days=1)
            activity_record(branch=branch_a, kind=theme_day, held_on=day, topic="学习")
        client.get(ACTIVITIES)  # warm the cached select choices, as in service
        with django_assert_num_queries(EXPORT_QUERIES):
            response = client.get(ACTIVITIES, {"format": file_type})
        table = csv_table(response) if file_type == "csv" else xlsx_table(response)
        assert len(table) == total + 1


def test_the_organisation_export_holds_every_level_with_its_superior(committee, staff_user, client_as):
    # Deeper than the page opens (it shows three levels and links on to the rest).
    parent = committee
    for depth in range(2, 6):
        parent = BranchFactory(name=f"第{depth}级", parent=parent, kind=Branch.Kind.GENERAL_BRANCH)
    client = client_as(staff_user)
    shown = [branch.name for branch in client.get(reverse("branches:branch_list")).context["branches"]]
    _header, *rows = csv_table(client.get(reverse("branches:branch_list"), {"format": "csv"}))
    assert shown == [committee.name, "第2级", "第3级"]
    assert [(row[0], row[2]) for row in rows] == [
        (committee.name, ""),
        ("第2级", committee.name),
        ("第3级", "第2级"),
        ("第4级", "第3级"),
        ("第5级", "第4级"),
    ]


def test_a_secretarys_organisation_export_starts_at_the_own_branch(
    branch_a, branch_b, secretary_a, client_as
):
    group = BranchFactory(name="第一党小组", parent=branch_a, kind=Branch.Kind.GROUP)
    CadreFactory(branch=branch_a)
    _header, *rows = csv_table(client_as(secretary_a).get(reverse("branches:branch_list"), {"format": "csv"}))
    # The committee above the own branch is outside the secretary's scope: its name stays out.
    assert [(row[0], row[2], row[-1]) for row in rows] == [
        (branch_a.name, "", "1"),
        (group.name, branch_a.name, "0"),
    ]


def test_the_organisation_export_keeps_the_name_search(branch_a, branch_b, staff_user, client_as):
    response = client_as(staff_user).get(reverse("branches:branch_list"), {"q": "教育局", "format": "csv"})
    assert _names(response) == [branch_b.name]


def test_commendation_alliance_and_studio_exports_stay_in_the_secretarys_scope(
    branch_a, branch_b, cadre_a, cadre_b, secretary_a, client_as
):
    model = Commendation.Kind.MODEL_BRANCH
    commendation_create(year=2025, kind=model, title="先进党支部", branch=branch_a)
    commendation_create(year=2025, kind=model, title="别处的表彰", branch=branch_b)
    other = BranchFactory(name="别处党支部", parent=branch_b)
    alliance_create(name="城教联盟", branches=[branch_a, branch_b], founded_on=dt.date(2024, 1, 1))
    alliance_create(name="别处联盟", branches=[branch_b, other], founded_on=dt.date(2024, 1, 1))
    studio_create(name="王老工作室", run_by=cadre_a)
    studio_create(name="李老工作室", run_by=cadre_b)
    client = client_as(secretary_a)
    commendations = csv_table(client.get(reverse("branches:commendation_list"), {"format": "csv"}))
    assert [row[2] for row in commendations[1:]] == ["先进党支部"]
    alliances = csv_table(client.get(reverse("branches:alliance_list"), {"format": "csv"}))
    assert alliances[1:] == [["城教联盟", "2024-01-01", f"{branch_a.name}、{branch_b.name}", ""]]
    studios = csv_table(client.get(reverse("branches:studio_list"), {"format": "csv"}))
    assert [(row[0], row[3]) for row in studios[1:]] == [("王老工作室", cadre_a.name)]
