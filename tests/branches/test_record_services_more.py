"""Services and selectors of the records pages: commendations, alliances, studios, points."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from branches import selectors
from branches.models import ActivityKind, Branch
from branches.record_services import (
    alliance_create,
    alliance_delete,
    commendation_create,
    commendation_delete,
    studio_create,
    studio_update,
)
from branches.records import BranchAlliance, Commendation, Studio
from branches.services import activity_record, membership_transfer
from tests.factories import AreaFactory, BranchFactory, CadreFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_records_a_commendation_of_a_branch_and_of_a_member(branch_a, cadre_a):
    model = commendation_create(year=2025, kind="model_branch", title="示范党支部", branch=branch_a)
    member = commendation_create(
        year=2025, kind="excellent_member", title="优秀共产党员", cadre=cadre_a, issuing_body="市委老干部局"
    )
    assert (model.branch, model.cadre) == (branch_a, None)
    assert (member.cadre, member.issuing_body) == (cadre_a, "市委老干部局")
    assert Commendation.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "field"),
    [("model_branch", "branch"), ("excellent_secretary", "cadre"), ("excellent_member", "cadre")],
)
def test_it_refuses_a_commendation_without_its_subject(kind, field):
    with pytest.raises(ValidationError) as error:
        commendation_create(year=2025, kind=kind, title="表彰")
    assert field in error.value.message_dict
    assert not Commendation.objects.exists()


def test_it_refuses_an_unknown_kind_and_an_empty_title(branch_a):
    with pytest.raises(ValidationError):
        commendation_create(year=2025, kind="best", title="表彰", branch=branch_a)
    with pytest.raises(ValidationError):
        commendation_create(year=2025, kind="model_branch", title="", branch=branch_a)
    assert not Commendation.objects.exists()


def test_it_allows_an_other_commendation_without_a_subject():
    assert commendation_create(year=2024, kind="other", title="先进集体").pk


def test_the_services_are_keyword_only(branch_a):
    with pytest.raises(TypeError):
        commendation_create(2025, "model_branch", "示范党支部", branch_a)
    with pytest.raises(TypeError):
        studio_create("工作室")


def test_it_deletes_a_commendation_and_an_alliance_but_keeps_the_branches(branch_a, branch_b):
    commendation = commendation_create(year=2025, kind="model_branch", title="示范", branch=branch_a)
    alliance = alliance_create(name="联盟", branches=[branch_a, branch_b], founded_on=dt.date(2025, 1, 1))
    commendation_delete(commendation=commendation)
    alliance_delete(alliance=alliance)
    assert not Commendation.objects.exists()
    assert not BranchAlliance.objects.exists()
    assert Branch.objects.filter(pk__in=[branch_a.pk, branch_b.pk]).count() == 2


def test_it_registers_and_changes_a_studio(cadre_a):
    area = AreaFactory(name="天平街道")
    studio = studio_create(name="老党员工作室", area=area, community="天平社区", run_by=cadre_a)
    assert (studio.area, studio.run_by) == (area, cadre_a)
    studio_update(studio=studio, name="银龄红管家工作室", run_by=None, founded_on=dt.date(2024, 7, 1))
    studio.refresh_from_db()
    assert (studio.name, studio.run_by, studio.founded_on) == ("银龄红管家工作室", None, dt.date(2024, 7, 1))


def test_it_refuses_a_studio_without_a_name_and_unknown_fields():
    with pytest.raises(ValidationError):
        studio_create(name="")
    studio = studio_create(name="工作室")
    with pytest.raises(ValidationError):
        studio_update(studio=studio, name="x" * 121)
    with pytest.raises(TypeError):
        studio_update(studio=studio, created_at=None)
    studio.refresh_from_db()
    assert studio.name == "工作室"
    assert Studio.objects.count() == 1


def test_a_secretary_sees_commendations_of_the_branch_and_of_its_current_members(
    branch_a, branch_b, cadre_a, cadre_b, secretary_a
):
    own_branch = commendation_create(year=2025, kind="model_branch", title="a", branch=branch_a)
    own_member = commendation_create(year=2025, kind="excellent_member", title="b", cadre=cadre_a)
    commendation_create(year=2025, kind="model_branch", title="c", branch=branch_b)
    commendation_create(year=2025, kind="excellent_member", title="d", cadre=cadre_b)
    commendation_create(year=2025, kind="other", title="e")
    assert set(selectors.commendation_list(user=secretary_a)) == {own_branch, own_member}
    assert selectors.commendation_list(user=UserFactory(role=Role.AUDITOR)).count() == 5


def test_a_member_who_moves_takes_the_commendation_along(branch_a, branch_b, cadre_b, secretary_a):
    honour = commendation_create(year=2024, kind="excellent_member", title="优秀", cadre=cadre_b)
    assert not selectors.commendation_list(user=secretary_a).exists()
    membership_transfer(cadre=cadre_b, branch=branch_a, on=dt.date(2026, 1, 1))
    assert list(selectors.commendation_list(user=secretary_a)) == [honour]


def test_a_secretary_sees_an_alliance_when_any_of_its_branches_is_visible(branch_a, branch_b, secretary_a):
    group_a1 = BranchFactory(kind="group", parent=branch_a)
    group_a2 = BranchFactory(kind="group", parent=branch_a)
    group_b = BranchFactory(kind="group", parent=branch_b)
    mixed = alliance_create(name="跨支部", branches=[branch_a, branch_b], founded_on=dt.date(2025, 1, 1))
    # Two visible branches must not list the alliance twice.
    inner = alliance_create(name="支部内", branches=[group_a1, group_a2], founded_on=dt.date(2025, 2, 1))
    alliance_create(name="别处", branches=[branch_b, group_b], founded_on=dt.date(2025, 3, 1))
    assert list(selectors.alliance_list(user=secretary_a)) == [inner, mixed]
    assert selectors.alliance_list(user=UserFactory(role=Role.BUREAU_STAFF)).count() == 3


def test_a_secretary_sees_the_studios_run_by_members_of_the_subtree(branch_a, cadre_a, cadre_b, secretary_a):
    group = BranchFactory(kind="group", parent=branch_a)
    below = CadreFactory(branch=group)
    mine = studio_create(name="甲", run_by=cadre_a)
    deeper = studio_create(name="乙", run_by=below)
    studio_create(name="丙", run_by=cadre_b)
    studio_create(name="丁")
    assert set(selectors.studio_list(user=secretary_a)) == {mine, deeper}
    assert selectors.studio_list(user=UserFactory(role=Role.BUREAU_STAFF)).count() == 4


def test_it_ranks_members_by_points_then_by_name(branch_a, branch_b):
    late = dt.date(2019, 1, 1)
    zhao, _li, wang = (
        CadreFactory(name=name, branch=branch_a, joined_on=late) for name in ("赵", "李", "王")
    )
    kind = ActivityKind.objects.get(code="theme_day")
    for month in (3, 4):
        activity_record(
            branch=branch_a,
            kind=kind,
            held_on=dt.date(2026, month, 1),
            topic="主题党日",
            attendance={wang.pk: ("present", ""), zhao.pk: ("present", "") if month == 3 else ("absent", "")},
        )
    rows = selectors.branch_member_points(branch=branch_a, year=2026)
    assert [(cadre.name, points) for cadre, points in rows] == [("王", 2), ("赵", 1), ("李", 0)]
    assert [points for _, points in selectors.branch_member_points(branch=branch_a, year=2025)] == [0, 0, 0]
    assert selectors.branch_member_points(branch=branch_b, year=2026) == []


def test_it_lists_only_the_point_rules_in_use():
    rules = list(selectors.point_rules_active())
    assert rules
    rules[0].is_active = False
    rules[0].save()
    assert rules[0] not in selectors.point_rules_active()
