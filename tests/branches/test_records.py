import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from branches.models import ActivityKind, BranchRating, Commendation, DuesPayment, PointRule
from branches.record_services import (
    alliance_create,
    branch_points,
    dues_arrears,
    dues_record,
    member_points,
    rating_set,
)
from branches.services import activity_record
from tests.factories import BranchFactory, CadreFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2020, 1, 1)


def pay_month(branch, cadre, month):
    return dues_record(branch=branch, cadre=cadre, amount=Decimal("20.00"), paid_on=month, month=month)


def hold(branch, day, attendance):
    return activity_record(
        branch=branch,
        kind=ActivityKind.objects.get(code="theme_day"),
        held_on=day,
        topic="主题党日",
        attendance=attendance,
    )


def test_it_refuses_dues_that_are_not_positive(branch_a):
    member = CadreFactory(branch=branch_a)
    with pytest.raises(ValidationError):
        dues_record(
            branch=branch_a, cadre=member, amount=Decimal("-5"), paid_on=dt.date(2026, 1, 5), kind="special"
        )
    assert not DuesPayment.objects.exists()


def test_it_refuses_a_second_payment_of_the_same_month(branch_a):
    member = CadreFactory(branch=branch_a)
    pay_month(branch_a, member, dt.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        pay_month(branch_a, member, dt.date(2026, 3, 20))
    # Special dues cover no month, so there may be any number of them.
    for _ in range(2):
        dues_record(
            branch=branch_a, cadre=member, amount=Decimal("500"), paid_on=dt.date(2026, 3, 1), kind="special"
        )
    assert DuesPayment.objects.count() == 3


def test_it_needs_a_month_for_monthly_dues_only(branch_a):
    member = CadreFactory(branch=branch_a)
    with pytest.raises(ValidationError):
        dues_record(branch=branch_a, cadre=member, amount=Decimal("20"), paid_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        dues_record(
            branch=branch_a,
            cadre=member,
            amount=Decimal("20"),
            paid_on=dt.date(2026, 3, 1),
            kind="large",
            month=dt.date(2026, 3, 1),
        )


def test_it_lists_the_unpaid_months_up_to_today(branch_a):
    member = CadreFactory(branch=branch_a, joined_on=LONG_AGO)
    for month in (1, 2, 3):
        pay_month(branch_a, member, dt.date(2026, month, 1))
    assert dues_arrears(branch=branch_a, year=2026, today=dt.date(2026, 5, 15)) == {
        member.pk: [dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
    }


def test_it_asks_dues_only_from_the_month_a_member_joined(branch_a):
    newcomer = CadreFactory(branch=branch_a, joined_on=dt.date(2026, 4, 10))
    paid_up = CadreFactory(branch=branch_a, joined_on=LONG_AGO)
    for month in range(1, 6):
        pay_month(branch_a, paid_up, dt.date(2026, month, 1))
    arrears = dues_arrears(branch=branch_a, year=2026, today=dt.date(2026, 5, 15))
    assert arrears == {newcomer.pk: [dt.date(2026, 4, 1), dt.date(2026, 5, 1)]}


def test_it_reads_arrears_in_a_fixed_number_of_queries(branch_a, django_assert_num_queries):
    for _ in range(5):
        CadreFactory(branch=branch_a, joined_on=LONG_AGO)
    with django_assert_num_queries(2):
        arrears = dues_arrears(branch=branch_a, year=2026, today=dt.date(2026, 5, 15))
    assert len(arrears) == 5


def test_it_refuses_six_stars_and_unknown_titles(branch_a):
    with pytest.raises(ValidationError):
        rating_set(branch=branch_a, year=2025, stars=6, titles=[])
    with pytest.raises(ValidationError):
        rating_set(branch=branch_a, year=2025, stars=5, titles=["best"])
    assert not BranchRating.objects.exists()


def test_it_keeps_one_rating_per_year_as_the_history(branch_a):
    rating_set(branch=branch_a, year=2024, stars=3, titles=[])
    rating_set(branch=branch_a, year=2025, stars=4, titles=["six_good"])
    rating_set(branch=branch_a, year=2025, stars=5, titles=["six_good", "model"])
    history = list(branch_a.ratings.order_by("year").values_list("year", "stars", "titles"))
    assert history == [(2024, 3, []), (2025, 5, ["six_good", "model"])]


def test_it_refuses_a_model_branch_commendation_without_a_branch(branch_a):
    commendation = Commendation(year=2025, kind="model_branch", title="示范党支部")
    with pytest.raises(ValidationError):
        commendation.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        commendation.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commendation.objects.create(year=2025, kind="excellent_member", branch=branch_a, title="优秀党员")
    Commendation.objects.create(year=2025, kind="model_branch", branch=branch_a, title="示范党支部")


def test_it_needs_two_branches_for_an_alliance(branch_a, branch_b):
    with pytest.raises(ValidationError):
        alliance_create(name="联支强基", branches=[branch_a, branch_a], founded_on=dt.date(2026, 1, 1))
    alliance = alliance_create(name="联支强基", branches=[branch_a, branch_b], founded_on=dt.date(2026, 1, 1))
    assert set(alliance.branches.all()) == {branch_a, branch_b}


def test_it_gives_a_point_per_present_attendance(branch_a):
    keen = CadreFactory(branch=branch_a, joined_on=LONG_AGO)
    on_leave = CadreFactory(branch=branch_a, joined_on=LONG_AGO)
    absent = CadreFactory(branch=branch_a, joined_on=LONG_AGO)
    for month in (3, 4, 5):
        hold(branch_a, dt.date(2026, month, 1), {keen.pk: ("present", ""), on_leave.pk: ("leave", "sick")})
    hold(branch_a, dt.date(2025, 12, 1), {keen.pk: ("present", "")})  # another year

    ids = [keen.pk, on_leave.pk, absent.pk]
    assert member_points(cadre_ids=ids, year=2026) == {keen.pk: 3, on_leave.pk: 0, absent.pk: 0}
    assert branch_points(branch=branch_a, year=2026) == 3

    PointRule.objects.filter(code="attendance_present").update(points=2)
    assert member_points(cadre_ids=ids, year=2026)[keen.pk] == 6
    assert branch_points(branch=branch_a, year=2026) == 6

    PointRule.objects.update(is_active=False)
    assert member_points(cadre_ids=ids, year=2026)[keen.pk] == 0
    assert branch_points(branch=branch_a, year=2026) == 0


def test_it_counts_only_the_branchs_own_attendance(branch_a, branch_b):
    member_a = CadreFactory(branch=branch_a, joined_on=LONG_AGO)
    member_b = CadreFactory(branch=branch_b, joined_on=LONG_AGO)
    hold(branch_a, dt.date(2026, 3, 1), {member_a.pk: ("present", "")})
    hold(branch_b, dt.date(2026, 3, 1), {member_b.pk: ("present", "")})
    assert branch_points(branch=branch_a, year=2026) == 1
    assert branch_points(branch=BranchFactory(), year=2026) == 0


@pytest.mark.parametrize("size", [2, 10])
def test_it_sums_points_in_one_query_however_many_members(size, branch_a, django_assert_num_queries):
    members = [CadreFactory(branch=branch_a, joined_on=LONG_AGO) for _ in range(size)]
    hold(branch_a, dt.date(2026, 3, 1), {member.pk: ("present", "") for member in members})
    with django_assert_num_queries(1):
        points = member_points(cadre_ids=[member.pk for member in members], year=2026)
    assert set(points.values()) == {1}


@pytest.mark.parametrize(
    "model", ["duespayment", "branchrating", "commendation", "branchalliance", "studio", "pointrule"]
)
def test_it_loads_the_records_changelists_in_the_admin(model, client_as):
    root = UserFactory(role=Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)
    response = client_as(root).get(reverse(f"admin:branches_{model}_changelist"))
    assert response.status_code == 200


def test_it_shows_a_staff_secretary_only_their_branchs_dues(branch_a, branch_b, client_as):
    pay_month(branch_a, CadreFactory(branch=branch_a), dt.date(2026, 3, 1))
    pay_month(branch_b, CadreFactory(branch=branch_b), dt.date(2026, 3, 1))
    secretary = UserFactory(role=Role.BRANCH_SECRETARY, branch=branch_a, is_staff=True)
    response = client_as(secretary).get(reverse("admin:branches_duespayment_changelist"))
    assert response.status_code == 200
    assert {row.branch_id for row in response.context["cl"].result_list} == {branch_a.pk}
