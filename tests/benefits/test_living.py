"""Health checks and sanatorium trips: bad input refused, quota kept, scope and masking."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits import services
from benefits.models import HealthCheck, SanatoriumTrip
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _csv(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def _trip(**fields):
    return services.trip_create(
        **{
            "name": "北戴河疗养",
            "destination": "北戴河",
            "starts_on": TODAY,
            "ends_on": TODAY,
            "quota": 2,
            **fields,
        }
    )


def test_a_future_health_check_is_refused(cadre_a):
    with pytest.raises(ValidationError) as error:
        services.health_check_record(
            cadre=cadre_a, checked_on=TODAY + dt.timedelta(days=1), institution="市医院"
        )
    assert "checked_on" in error.value.message_dict
    assert not HealthCheck.objects.exists()


def test_a_trip_cannot_end_before_it_starts_or_have_no_places():
    for fields, field in (({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on"), ({"quota": 0}, "quota")):
        with pytest.raises(ValidationError) as error:
            _trip(**fields)
        assert field in error.value.message_dict
    assert not SanatoriumTrip.objects.exists()


def test_participants_stay_within_the_quota(branch_a, cadre_a, cadre_b):
    trip = _trip(quota=2)
    services.trip_add_participant(trip=trip, cadre=cadre_a)
    with pytest.raises(ValidationError):
        services.trip_add_participant(trip=trip, cadre=cadre_a)
    services.trip_add_participant(trip=trip, cadre=cadre_b)
    with pytest.raises(ValidationError) as error:
        services.trip_add_participant(trip=trip, cadre=CadreFactory(branch=branch_a))
    assert "cadre" in error.value.message_dict
    assert trip.participants.count() == 2


def test_a_bad_trip_is_a_form_error_and_nothing_is_saved(staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("benefits:trip_create"),
        {
            "name": "疗养",
            "destination": "青岛",
            "starts_on": "2025-06-07",
            "ends_on": "2025-06-01",
            "quota": 3,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert not SanatoriumTrip.objects.exists()


def test_a_full_trip_is_a_form_error(cadre_a, cadre_b, staff_user, client_as):
    trip = _trip(quota=1)
    services.trip_add_participant(trip=trip, cadre=cadre_b)
    response = client_as(staff_user).post(
        reverse("benefits:trip_participant_add", args=[trip.pk]), {"cadre": f"#{cadre_a.pk}"}
    )
    assert response.status_code == 200
    assert response.context["participant_form"].errors["cadre"]
    assert list(trip.participants.all()) == [cadre_b]


def test_a_secretary_sees_own_health_checks_and_the_auditor_no_findings(
    cadre_a, cadre_b, secretary_a, auditor, client_as
):
    services.health_check_record(
        cadre=cadre_a, checked_on=TODAY, institution="市人民医院", findings="血糖偏高"
    )
    services.health_check_record(cadre=cadre_b, checked_on=TODAY, institution="市中医院", findings="血压偏高")
    url = reverse("benefits:health_check_list")
    rows = _csv(client_as(secretary_a).get(url, {"format": "csv"}))
    assert [(row[0], row[-1]) for row in rows] == [(cadre_a.name, "血糖偏高")]
    assert sorted(row[-1] for row in _csv(client_as(auditor).get(url, {"format": "csv"}))) == ["***", "***"]
    assert "血糖偏高" not in client_as(auditor).get(url).content.decode()


def test_a_secretary_sees_a_bureau_trip_with_only_the_own_members(cadre_a, cadre_b, secretary_a, client_as):
    trip = _trip()
    services.trip_add_participant(trip=trip, cadre=cadre_a)
    services.trip_add_participant(trip=trip, cadre=cadre_b)
    other = _trip(name="青岛疗养")
    services.trip_add_participant(trip=other, cadre=cadre_b)
    client = client_as(secretary_a)
    assert [t.pk for t in client.get(reverse("benefits:trip_list")).context["rows"]] == [trip.pk]
    assert list(client.get(trip.get_absolute_url()).context["participants"]) == [cadre_a]
    assert client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url_name", ["benefits:health_check_list", "benefits:trip_list"])
def test_the_lists_run_the_same_queries_for_5_and_30_rows(url_name, branch_a, secretary_a, client_as):
    client = client_as(secretary_a)
    counts, made = [], 0
    for rows in (5, 30):
        for _index in range(rows - made):
            cadre = CadreFactory(branch=branch_a)
            if url_name == "benefits:trip_list":
                services.trip_add_participant(trip=_trip(branch=branch_a), cadre=cadre)
            else:
                services.health_check_record(cadre=cadre, checked_on=TODAY, institution="市人民医院")
        made = rows
        client.get(reverse(url_name), {"per_page": 50})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(url_name), {"per_page": 50})
        assert len(response.context["rows"]) == rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]
