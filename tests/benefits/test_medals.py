"""Medals: 50 years in the Party by 1 July, once per cadre; the due list, scope and exports."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits import selectors, services
from benefits.models import MedalAward
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
YEAR = TODAY.year


def _member(branch, joined: dt.date, **fields):
    return CadreFactory(branch=branch, birth_date=dt.date(1940, 1, 1), party_join_date=joined, **fields)


def test_the_50_year_medal_needs_50_years_by_1_july(branch_a):
    on_the_day = _member(branch_a, dt.date(YEAR - 50, 7, 1))
    a_day_late = _member(branch_a, dt.date(YEAR - 50, 7, 2))
    medal = services.medal_award(cadre=on_the_day, kind="party_50_years", awarded_on=TODAY)
    assert medal.pk
    with pytest.raises(ValidationError) as error:
        services.medal_award(cadre=a_day_late, kind="party_50_years", awarded_on=TODAY)
    assert "cadre" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.medal_award(cadre=on_the_day, kind="party_50_years", awarded_on=TODAY)
    assert "kind" in error.value.message_dict
    assert MedalAward.objects.count() == 1


def test_a_non_member_gets_no_50_year_medal_but_may_retire_with_honour(cadre_a):
    with pytest.raises(ValidationError):
        services.medal_award(cadre=cadre_a, kind="party_50_years", awarded_on=TODAY)
    assert services.medal_award(cadre=cadre_a, kind="honourable_retirement", awarded_on=TODAY).pk


def test_a_future_award_is_refused(cadre_a):
    with pytest.raises(ValidationError) as error:
        services.medal_award(
            cadre=cadre_a, kind="honourable_retirement", awarded_on=TODAY + dt.timedelta(days=1)
        )
    assert "awarded_on" in error.value.message_dict


def test_medals_due_lists_living_members_not_yet_awarded_in_one_query(branch_a, branch_b, secretary_a):
    due = _member(branch_a, dt.date(YEAR - 55, 3, 1))
    awarded = _member(branch_a, dt.date(YEAR - 60, 3, 1))
    services.medal_award(cadre=awarded, kind="party_50_years", awarded_on=TODAY)
    _member(branch_a, dt.date(YEAR - 49, 1, 1))  # not yet
    _member(branch_a, dt.date(YEAR - 70, 1, 1), deceased_on=TODAY)
    other = _member(branch_b, dt.date(YEAR - 55, 3, 1))
    with CaptureQueriesContext(connection) as ctx:
        everyone = [(c.pk, c.branch.name) for c in selectors.medals_due(year=YEAR)]
    assert len(ctx) == 1
    assert {pk for pk, _name in everyone} == {due.pk, other.pk}
    assert [c.pk for c in selectors.medals_due(year=YEAR, user=secretary_a)] == [due.pk]


def test_the_pages_follow_the_scope_and_refuse_bad_input(
    branch_a, branch_b, secretary_a, staff_user, client_as
):
    own = _member(branch_a, dt.date(YEAR - 55, 3, 1))
    other = _member(branch_b, dt.date(YEAR - 55, 3, 1))
    for cadre in (own, other):
        services.medal_award(cadre=cadre, kind="honourable_retirement", awarded_on=TODAY)
    client = client_as(secretary_a)
    export = client.get(reverse("benefits:medal_list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))[1:]
    assert [row[0] for row in rows] == [own.name]
    due = client.get(reverse("benefits:medal_due"), {"year": "abc"})
    assert [c.pk for c in due.context["rows"]] == [own.pk]
    assert client.post(reverse("benefits:medal_create"), {}).status_code == 403
    young = _member(branch_a, dt.date(YEAR - 10, 1, 1))
    response = client_as(staff_user).post(
        reverse("benefits:medal_create"),
        {"cadre": f"#{young.pk}", "kind": "party_50_years", "awarded_on": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cadre"]
    assert not MedalAward.objects.filter(cadre=young).exists()


@pytest.mark.parametrize("url_name", ["benefits:medal_list", "benefits:medal_due"])
def test_the_lists_run_the_same_queries_for_5_and_30_rows(url_name, branch_a, secretary_a, client_as):
    client = client_as(secretary_a)
    counts, made = [], 0
    for rows in (5, 30):
        for _index in range(rows - made):
            cadre = _member(branch_a, dt.date(YEAR - 55, 3, 1))
            if url_name == "benefits:medal_list":
                services.medal_award(cadre=cadre, kind="honourable_retirement", awarded_on=TODAY)
        made = rows
        client.get(reverse(url_name), {"per_page": 50})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(url_name), {"per_page": 50})
        assert len(response.context["rows"]) == rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]
