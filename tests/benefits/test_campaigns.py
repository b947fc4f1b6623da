"""Condolence campaigns: the target list from the scope, ticking off, progress, scope and exports."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits import selectors, services
from benefits.models import CondolenceCampaign, CondolenceTarget, Visit
from tests.factories import AreaFactory, CadreFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=10)


def _campaign(**fields):
    return services.campaign_create(
        **{
            "name": "春节走访慰问",
            "festival": "spring_festival",
            "starts_on": START,
            "ends_on": TODAY + dt.timedelta(days=10),
            **fields,
        }
    )


def _born_aged(age: int, extra_days: int = 0) -> dt.date:
    return START.replace(year=START.year - age) - dt.timedelta(days=extra_days)


def test_the_targets_are_the_living_cadres_in_scope(branch_a, branch_b, cadre_a, cadre_b):
    dead = CadreFactory(branch=branch_a, deceased_on=TODAY - dt.timedelta(days=1))
    campaign = _campaign(branch=branch_a)
    assert services.campaign_generate_targets(campaign=campaign) == 1
    assert list(campaign.targets.values_list("cadre", flat=True)) == [cadre_a.pk]
    assert dead.pk not in campaign.targets.values_list("cadre", flat=True)


def test_age_range_retirement_type_and_area_narrow_the_scope(branch_a):
    area = AreaFactory(name="城关区")
    eighty = CadreFactory(branch=branch_a, birth_date=_born_aged(80), area=area)
    seventy_nine = CadreFactory(branch=branch_a, birth_date=_born_aged(80) + dt.timedelta(days=1), area=area)
    ninety = CadreFactory(branch=branch_a, birth_date=_born_aged(90), area=area)
    just_ninety_one = CadreFactory(branch=branch_a, birth_date=_born_aged(91), area=area)
    CadreFactory(branch=branch_a, birth_date=_born_aged(85), retirement_type="lixiu", area=area)
    CadreFactory(branch=branch_a, birth_date=_born_aged(85))  # no area
    campaign = _campaign(area=area, retirement_type="tuixiu", min_age=80, max_age=90)
    services.campaign_generate_targets(campaign=campaign)
    assert set(campaign.targets.values_list("cadre", flat=True)) == {eighty.pk, ninety.pk}
    assert seventy_nine.pk and just_ninety_one.pk


def test_generating_again_adds_only_newcomers_in_a_few_queries(branch_a, cadre_a):
    campaign = _campaign(branch=branch_a)
    services.campaign_generate_targets(campaign=campaign)
    for _index in range(20):
        CadreFactory(branch=branch_a)
    with CaptureQueriesContext(connection) as ctx:
        added = services.campaign_generate_targets(campaign=campaign)
    assert added == 20
    assert len(ctx) <= 8  # set-based: not one query per cadre
    assert services.campaign_generate_targets(campaign=campaign) == 0
    assert campaign.targets.count() == 21


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"ends_on": START - dt.timedelta(days=1)}, "ends_on"), ({"min_age": 90, "max_age": 80}, "max_age")],
)
def test_a_bad_campaign_is_refused(fields, field):
    with pytest.raises(ValidationError) as error:
        _campaign(**fields)
    assert field in error.value.message_dict
    assert not CondolenceCampaign.objects.exists()


def test_a_target_is_ticked_off_by_a_festival_visit_or_a_gift(branch_a, cadre_a):
    other = CadreFactory(branch=branch_a)
    campaign = _campaign(branch=branch_a, gift="米、油")
    services.campaign_generate_targets(campaign=campaign)
    by_visit = services.target_tick(
        target=campaign.targets.get(cadre=cadre_a),
        on=TODAY,
        visitors="局领导",
        condolence_money=Decimal("800"),
    )
    assert (by_visit.visit.reason, by_visit.visit.gift, by_visit.visit.cadre) == (
        "festival",
        "米、油",
        cadre_a,
    )
    by_gift = services.target_tick(target=campaign.targets.get(cadre=other), on=TODAY, visited=False)
    assert by_gift.gift_given_on == TODAY and by_gift.visit is None
    progress = selectors.campaign_list(user=_staff()).get(pk=campaign.pk)
    assert (progress.done_count, progress.target_count) == (2, 2)


def _staff():
    from accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.BUREAU_STAFF)


def test_ticking_twice_or_before_the_start_is_refused(branch_a, cadre_a):
    campaign = _campaign(branch=branch_a)
    services.campaign_generate_targets(campaign=campaign)
    target = campaign.targets.get()
    with pytest.raises(ValidationError) as error:
        services.target_tick(target=target, on=START - dt.timedelta(days=1), visitors="x")
    assert "on" in error.value.message_dict
    services.target_tick(target=target, on=TODAY, visitors="x")
    with pytest.raises(ValidationError):
        services.target_tick(target=target, on=TODAY, visited=False)
    assert Visit.objects.count() == 1


# Pages


def test_a_bad_campaign_is_a_form_error_and_nothing_is_saved(staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("benefits:campaign_create"),
        {"name": "国庆慰问", "festival": "national_day", "starts_on": "2025-10-05", "ends_on": "2025-10-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not CondolenceCampaign.objects.exists()


def test_staff_create_a_campaign_and_its_targets_in_one_step(cadre_a, cadre_b, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("benefits:campaign_create"),
        {
            "name": "重阳节慰问",
            "festival": "chongyang",
            "starts_on": START.isoformat(),
            "ends_on": TODAY.isoformat(),
        },
    )
    campaign = CondolenceCampaign.objects.get()
    assert response.status_code == 302
    assert set(campaign.targets.values_list("cadre", flat=True)) == {cadre_a.pk, cadre_b.pk}


def test_a_secretary_sees_the_citys_campaign_with_only_the_own_members(
    cadre_a, cadre_b, secretary_a, client_as
):
    campaign = _campaign()
    services.campaign_generate_targets(campaign=campaign)
    services.target_tick(target=campaign.targets.get(cadre=cadre_b), on=TODAY, visited=False)
    client = client_as(secretary_a)
    listed = client.get(reverse("benefits:campaign_list")).context["rows"]
    assert [(c.pk, c.done_count, c.target_count) for c in listed] == [(campaign.pk, 0, 1)]
    page = client.get(campaign.get_absolute_url())
    assert [t.cadre_id for t in page.context["rows"]] == [cadre_a.pk]
    export = client.get(campaign.get_absolute_url(), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))[1:]
    assert [row[0] for row in rows] == [cadre_a.name]
    target_b = campaign.targets.get(cadre=cadre_b)
    assert (
        client.post(
            reverse("benefits:target_tick", args=[target_b.pk]), {"how": "gift", "on": TODAY}
        ).status_code
        == 404
    )


def test_a_secretary_ticks_off_an_own_member(cadre_a, secretary_a, client_as):
    campaign = _campaign()
    services.campaign_generate_targets(campaign=campaign)
    target = campaign.targets.get(cadre=cadre_a)
    response = client_as(secretary_a).post(
        reverse("benefits:target_tick", args=[target.pk]),
        {"how": "visit", "on": TODAY.isoformat(), "visitors": "支部书记", "condolence_money": "-1"},
    )
    assert response.status_code == 200 and response.context["form"].errors["condolence_money"]
    response = client_as(secretary_a).post(
        reverse("benefits:target_tick", args=[target.pk]),
        {"how": "visit", "on": TODAY.isoformat(), "visitors": "支部书记"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.visit.recorded_by == secretary_a


def test_the_pending_filter_lists_who_is_left(branch_a, cadre_a, staff_user, client_as):
    other = CadreFactory(branch=branch_a)
    campaign = _campaign(branch=branch_a)
    services.campaign_generate_targets(campaign=campaign)
    services.target_tick(target=campaign.targets.get(cadre=cadre_a), on=TODAY, visited=False)
    pending = client_as(staff_user).get(campaign.get_absolute_url(), {"status": "pending"}).context["rows"]
    assert [t.cadre_id for t in pending] == [other.pk]


@pytest.mark.parametrize("page", ["list", "detail"])
def test_the_campaign_pages_run_the_same_queries_for_5_and_30_rows(page, branch_a, secretary_a, client_as):
    client = client_as(secretary_a)
    main = _campaign(branch=branch_a)
    counts = []
    for rows in (5, 30):
        if page == "list":
            while CondolenceCampaign.objects.count() < rows:
                services.campaign_generate_targets(campaign=_campaign(branch=branch_a))
            url = reverse("benefits:campaign_list")
        else:
            while CondolenceTarget.objects.filter(campaign=main).count() < rows:
                CadreFactory(branch=branch_a)
                services.campaign_generate_targets(campaign=main)
            url = main.get_absolute_url()
        client.get(url, {"per_page": 50})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": 50})
        assert response.status_code == 200
        assert len(response.context["rows"]) == rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]
