"""Writes on the senior university: schools, courses, enrolling (places, the deceased, duplicates) and
withdrawing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from education.models import Enrolment
from education.services import (
    course_create,
    course_update,
    enrolment_create,
    enrolment_delete,
    enrolment_withdraw,
    school_create,
    school_update,
)
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 2, 20)


def _messages(error) -> str:
    return " ".join(error.value.messages)


# Schools and courses


def test_it_takes_a_courses_year_from_its_start(university):
    course = course_create(
        school=university, name="摄影班", subject="photography", starts_on=dt.date(2024, 9, 1)
    )
    assert course.year == 2024
    course = course_update(course=course, starts_on=dt.date(2025, 3, 1))
    assert course.year == 2025


def test_it_refuses_a_second_course_of_the_same_name_in_a_school_and_year(calligraphy):
    with pytest.raises(ValidationError) as error:
        course_create(
            school=calligraphy.school, name="书法班", subject="other", starts_on=dt.date(2025, 9, 1)
        )
    assert "name" in error.value.message_dict
    assert "书法班" in _messages(error)


def test_it_refuses_a_course_before_the_school_was_founded_or_after_it_closed(branch_school):
    with pytest.raises(ValidationError) as error:
        course_create(school=branch_school, name="早班", subject="other", starts_on=dt.date(2014, 3, 1))
    assert "starts_on" in error.value.message_dict
    closed = school_update(school=branch_school, closed_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        course_create(school=closed, name="晚班", subject="other", starts_on=dt.date(2024, 3, 1))
    assert "starts_on" in error.value.message_dict


def test_it_refuses_to_close_a_school_before_one_of_its_courses_starts(calligraphy):
    with pytest.raises(ValidationError) as error:
        school_update(school=calligraphy.school, closed_on=dt.date(2025, 1, 1))
    assert "closed_on" in error.value.message_dict
    assert "书法班" in _messages(error)


def test_it_makes_a_branch_school_of_the_university_only(university, branch_school):
    with pytest.raises(ValidationError) as error:
        school_create(name="分校的教学点", parent=branch_school)
    assert "parent" in error.value.message_dict


def test_it_keeps_the_places_above_the_students_on_the_course(enrolled, calligraphy, cadre_b):
    enrolment_create(course=calligraphy, cadre=cadre_b, enrolled_on=DAY)
    with pytest.raises(ValidationError) as error:
        course_update(course=calligraphy, capacity=1)
    assert "capacity" in error.value.message_dict
    assert course_update(course=calligraphy, capacity=None).capacity is None


# Enrolling


def test_it_enrols_a_living_cadre(calligraphy, cadre_a):
    enrolment = enrolment_create(course=calligraphy, cadre=cadre_a, enrolled_on=DAY, note="自带笔墨")
    assert (enrolment.course, enrolment.cadre, enrolment.enrolled_on, enrolment.left_on) == (
        calligraphy,
        cadre_a,
        DAY,
        None,
    )


def test_it_refuses_a_place_on_a_full_course(enrolled, calligraphy, cadre_b):
    enrolment_create(course=calligraphy, cadre=cadre_b, enrolled_on=DAY)  # the second of two places
    with pytest.raises(ValidationError) as error:
        enrolment_create(course=calligraphy, cadre=CadreFactory(), enrolled_on=DAY)
    assert error.value.code == "full"
    assert "2" in _messages(error)
    assert Enrolment.objects.filter(course=calligraphy).count() == 2


def test_a_withdrawal_frees_the_place(enrolled, calligraphy, cadre_b):
    enrolment_create(course=calligraphy, cadre=cadre_b, enrolled_on=DAY)
    enrolment_withdraw(enrolment=enrolled["a"], left_on=dt.date(2025, 4, 1))
    newcomer = CadreFactory()
    assert enrolment_create(course=calligraphy, cadre=newcomer, enrolled_on=dt.date(2025, 4, 2)).pk


def test_it_refuses_a_deceased_cadre(calligraphy):
    died = CadreFactory(name="故去者", deceased_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError) as error:
        enrolment_create(course=calligraphy, cadre=died, enrolled_on=DAY)
    assert "cadre" in error.value.message_dict
    assert "故去者" in _messages(error)
    assert not Enrolment.objects.exists()


def test_it_refuses_a_second_enrolment_on_the_same_course(enrolled, calligraphy, cadre_a):
    with pytest.raises(ValidationError) as error:
        enrolment_create(course=calligraphy, cadre=cadre_a, enrolled_on=DAY)
    assert "cadre" in error.value.message_dict
    enrolment_withdraw(enrolment=enrolled["a"], left_on=dt.date(2025, 4, 1))
    with pytest.raises(ValidationError) as error:
        enrolment_create(course=calligraphy, cadre=cadre_a, enrolled_on=dt.date(2025, 5, 1))
    assert "2025-04-01" in _messages(error)


def test_it_refuses_a_date_in_the_future_or_after_the_course_ended(calligraphy, cadre_a):
    with pytest.raises(ValidationError) as error:
        enrolment_create(
            course=calligraphy, cadre=cadre_a, enrolled_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert "enrolled_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        enrolment_create(course=calligraphy, cadre=cadre_a, enrolled_on=dt.date(2025, 7, 16))
    assert "enrolled_on" in error.value.message_dict


# Withdrawing


def test_it_withdraws_once_and_not_before_the_enrolment(enrolled):
    enrolment = enrolled["a"]
    with pytest.raises(ValidationError) as error:
        enrolment_withdraw(enrolment=enrolment, left_on=DAY - dt.timedelta(days=1))
    assert "left_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        enrolment_withdraw(enrolment=enrolment, left_on=timezone.localdate() + dt.timedelta(days=1))
    assert enrolment_withdraw(enrolment=enrolment, left_on=DAY).left_on == DAY  # the same day is allowed
    with pytest.raises(ValidationError) as error:
        enrolment_withdraw(enrolment=enrolment, left_on=dt.date(2025, 5, 1))
    assert DAY.isoformat() in _messages(error)


def test_it_deletes_an_enrolment_made_by_mistake(enrolled):
    enrolment_delete(enrolment=enrolled["a"])
    assert list(Enrolment.objects.all()) == [enrolled["b"]]
