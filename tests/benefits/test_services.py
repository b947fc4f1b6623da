"""Services and selectors of care and benefits: occasions, visits and one-to-one contact."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benefits import selectors, services
from benefits.models import ContactAssignment, ContactLog, Occasion, Visit
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _days_ago(days):
    return TODAY - dt.timedelta(days=days)


# Occasions


def test_an_occasion_is_due_the_configured_days_after_it(cadre_a):
    occasion = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10))
    assert occasion.due_on == _days_ago(7)


def test_the_days_come_from_settings_when_set(cadre_a, settings):
    settings.BENEFITS_VISIT_DUE_DAYS = {"hospitalised": 1}
    occasion = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10))
    assert occasion.due_on == _days_ago(9)
    festival = services.occasion_record(cadre=cadre_a, kind="festival", occurred_on=_days_ago(10))
    assert festival.due_on == _days_ago(10) + dt.timedelta(days=14)


def test_recording_the_same_occasion_twice_returns_the_first(cadre_a):
    first = services.occasion_record(cadre=cadre_a, kind="hardship", occurred_on=_days_ago(3), note="一")
    again = services.occasion_record(cadre=cadre_a, kind="hardship", occurred_on=_days_ago(3), note="二")
    assert again.pk == first.pk
    assert Occasion.objects.count() == 1
    assert Occasion.objects.get().note == "一"


def test_a_future_occasion_is_refused(cadre_a):
    with pytest.raises(ValidationError) as error:
        services.occasion_record(cadre=cadre_a, kind="hardship", occurred_on=TODAY + dt.timedelta(days=1))
    assert "occurred_on" in error.value.message_dict
    assert not Occasion.objects.exists()


def test_an_unknown_kind_is_refused(cadre_a):
    with pytest.raises(ValidationError) as error:
        services.occasion_record(cadre=cadre_a, kind="birthday", occurred_on=TODAY)
    assert "kind" in error.value.message_dict


def test_a_deceased_cadre_gets_only_the_death_occasion(branch_a):
    cadre = CadreFactory(branch=branch_a, deceased_on=_days_ago(2))
    with pytest.raises(ValidationError) as error:
        services.occasion_record(cadre=cadre, kind="hospitalised", occurred_on=_days_ago(3))
    assert "cadre" in error.value.message_dict
    death = services.occasion_record(cadre=cadre, kind="death", occurred_on=_days_ago(2))
    assert death.due_on == _days_ago(2) + dt.timedelta(days=3)


def test_visits_overdue_lists_open_occasions_past_due_in_one_query(cadre_a, cadre_b, branch_a):
    overdue = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10))
    services.occasion_record(cadre=cadre_a, kind="festival", occurred_on=_days_ago(2))  # not yet due
    visited = services.occasion_record(cadre=cadre_b, kind="hardship", occurred_on=_days_ago(20))
    services.visit_record(occasion=visited, visited_on=_days_ago(1), visitors="局领导")
    dead = CadreFactory(branch=branch_a, deceased_on=_days_ago(30))
    family = services.occasion_record(cadre=dead, kind="death", occurred_on=_days_ago(30))
    ill = services.occasion_record(
        cadre=CadreFactory(branch=branch_a), kind="hospitalised", occurred_on=_days_ago(40)
    )
    ill.cadre.deceased_on = _days_ago(35)
    ill.cadre.save()
    with CaptureQueriesContext(connection) as ctx:
        found = [(o.pk, o.cadre.name) for o in selectors.visits_overdue(on=TODAY)]
    assert len(ctx) == 1
    assert {pk for pk, _name in found} == {overdue.pk, family.pk}


def test_an_occasion_due_today_is_not_overdue_today(cadre_a):
    occasion = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(3))
    assert occasion.due_on == TODAY
    assert not selectors.visits_overdue(on=TODAY).exists()
    assert list(selectors.visits_overdue(on=TODAY + dt.timedelta(days=1))) == [occasion]


# Visits


def test_a_visit_for_an_occasion_takes_its_cadre_and_reason(cadre_a):
    occasion = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(5))
    visit = services.visit_record(
        occasion=occasion,
        visited_on=_days_ago(4),
        visitors="支部书记",
        gift="水果",
        condolence_money=Decimal("500"),
    )
    assert (visit.cadre, visit.reason) == (cadre_a, "hospitalised")
    assert list(occasion.visits.all()) == [visit]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"visited_on": _days_ago(11)}, "visited_on"),  # before the occasion
        ({"visited_on": TODAY + dt.timedelta(days=1)}, "visited_on"),
        ({"condolence_money": Decimal("-1")}, "condolence_money"),
        ({"visitors": ""}, "visitors"),
    ],
)
def test_a_bad_visit_is_refused_and_nothing_is_saved(cadre_a, fields, field):
    occasion = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10))
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            **{"occasion": occasion, "visited_on": _days_ago(5), "visitors": "干部科", **fields}
        )
    assert field in error.value.message_dict
    assert not Visit.objects.exists()


def test_a_visit_naming_another_cadre_than_its_occasion_is_refused(cadre_a, cadre_b):
    occasion = services.occasion_record(cadre=cadre_a, kind="hardship", occurred_on=_days_ago(10))
    with pytest.raises(ValidationError) as error:
        services.visit_record(cadre=cadre_b, occasion=occasion, visited_on=TODAY, visitors="干部科")
    assert "cadre" in error.value.message_dict


def test_a_routine_visit_to_a_deceased_cadre_is_refused(branch_a):
    cadre = CadreFactory(branch=branch_a, deceased_on=_days_ago(2))
    with pytest.raises(ValidationError) as error:
        services.visit_record(cadre=cadre, visited_on=TODAY, visitors="干部科")
    assert "reason" in error.value.message_dict


def test_deleting_a_visit_reopens_its_occasion(cadre_a):
    occasion = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10))
    visit = services.visit_record(occasion=occasion, visited_on=_days_ago(5), visitors="干部科")
    assert not selectors.visits_overdue(on=TODAY).exists()
    services.visit_delete(visit=visit)
    assert list(selectors.visits_overdue(on=TODAY)) == [occasion]


# One-to-one contact


def test_interval_zero_is_refused(cadre_a, staff_user):
    with pytest.raises(ValidationError) as error:
        services.assignment_create(staff=staff_user, cadre=cadre_a, interval_days=0, started_on=TODAY)
    assert "interval_days" in error.value.message_dict
    assert not ContactAssignment.objects.exists()


def test_one_open_assignment_per_cadre(cadre_a, staff_user):
    first = services.assignment_create(
        staff=staff_user, cadre=cadre_a, interval_days=30, started_on=_days_ago(90)
    )
    with pytest.raises(ValidationError):
        services.assignment_create(staff=staff_user, cadre=cadre_a, interval_days=30, started_on=_days_ago(9))
    services.assignment_end(assignment=first, ended_on=_days_ago(10))
    second = services.assignment_create(
        staff=staff_user, cadre=cadre_a, interval_days=30, started_on=_days_ago(9)
    )
    assert second.is_open


def test_an_assignment_cannot_end_before_it_started(cadre_a, staff_user):
    assignment = services.assignment_create(
        staff=staff_user, cadre=cadre_a, interval_days=30, started_on=_days_ago(9)
    )
    with pytest.raises(ValidationError) as error:
        services.assignment_end(assignment=assignment, ended_on=_days_ago(10))
    assert "ended_on" in error.value.message_dict
    assignment.refresh_from_db()
    assert assignment.ended_on is None


def test_a_contact_outside_the_assignment_is_refused(cadre_a, staff_user):
    assignment = services.assignment_create(
        staff=staff_user, cadre=cadre_a, interval_days=30, started_on=_days_ago(9)
    )
    for day in (_days_ago(10), TODAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.contact_log_record(assignment=assignment, contacted_on=day, method="phone")
        assert "contacted_on" in error.value.message_dict
    assert not ContactLog.objects.exists()


def test_contacts_overdue_counts_from_the_last_contact_or_the_start_in_one_query(branch_a, staff_user):
    never = services.assignment_create(
        staff=staff_user, cadre=CadreFactory(branch=branch_a), interval_days=30, started_on=_days_ago(31)
    )
    kept = services.assignment_create(
        staff=staff_user, cadre=CadreFactory(branch=branch_a), interval_days=30, started_on=_days_ago(100)
    )
    services.contact_log_record(assignment=kept, contacted_on=_days_ago(80), method="visit")
    services.contact_log_record(assignment=kept, contacted_on=_days_ago(10), method="phone")
    lapsed = services.assignment_create(
        staff=staff_user, cadre=CadreFactory(branch=branch_a), interval_days=7, started_on=_days_ago(100)
    )
    services.contact_log_record(assignment=lapsed, contacted_on=_days_ago(8), method="phone")
    exact = services.assignment_create(
        staff=staff_user, cadre=CadreFactory(branch=branch_a), interval_days=30, started_on=_days_ago(30)
    )
    ended = services.assignment_create(
        staff=staff_user, cadre=CadreFactory(branch=branch_a), interval_days=7, started_on=_days_ago(100)
    )
    services.assignment_end(assignment=ended, ended_on=_days_ago(50))
    with CaptureQueriesContext(connection) as ctx:
        found = {
            a.pk: (a.cadre.name, a.staff.username, a.contact_due_on)
            for a in selectors.contacts_overdue(on=TODAY)
        }
    assert len(ctx) == 1
    assert set(found) == {never.pk, lapsed.pk}
    assert found[never.pk][2] == _days_ago(1)
    assert found[lapsed.pk][2] == _days_ago(1)
    assert exact.pk not in found


def test_the_staff_member_may_be_any_user(cadre_a, secretary_a):
    assignment = services.assignment_create(
        staff=secretary_a, cadre=cadre_a, interval_days=14, started_on=TODAY
    )
    assert assignment.staff == secretary_a
