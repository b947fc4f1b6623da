"""The database keeps the senior university's records sound even when the services are bypassed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from education.models import Course, Enrolment, SeniorSchool

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_school_name_is_unique(university):
    _refused(lambda: SeniorSchool.objects.create(name="市老年大学"))


def test_a_school_closes_on_or_after_its_founding():
    _refused(
        lambda: SeniorSchool.objects.create(
            name="关停分校", founded_on=dt.date(2020, 1, 1), closed_on=dt.date(2019, 12, 31)
        )
    )


def test_a_course_ends_on_or_after_it_starts(university):
    _refused(
        lambda: Course.objects.create(
            school=university,
            name="书法班",
            subject="other",
            year=2025,
            starts_on=dt.date(2025, 3, 1),
            ends_on=dt.date(2025, 2, 28),
        )
    )


def test_a_course_has_at_least_one_place_or_no_limit(university):
    _refused(
        lambda: Course.objects.create(
            school=university,
            name="书法班",
            subject="other",
            year=2025,
            starts_on=dt.date(2025, 3, 1),
            capacity=0,
        )
    )


def test_a_course_name_is_unique_within_a_school_and_year(calligraphy):
    _refused(
        lambda: Course.objects.create(
            school=calligraphy.school,
            name="书法班",
            subject="other",
            year=2025,
            starts_on=dt.date(2025, 9, 1),
        )
    )
    # The same name another year, or at another school, is another course.
    Course.objects.create(
        school=calligraphy.school, name="书法班", subject="other", year=2026, starts_on=dt.date(2026, 3, 1)
    )


def test_a_cadre_is_enrolled_once_per_course(enrolled, calligraphy, cadre_a):
    _refused(
        lambda: Enrolment.objects.create(course=calligraphy, cadre=cadre_a, enrolled_on=dt.date(2025, 3, 1))
    )


def test_a_student_withdraws_on_or_after_enrolling(calligraphy, cadre_b):
    _refused(
        lambda: Enrolment.objects.create(
            course=calligraphy, cadre=cadre_b, enrolled_on=dt.date(2025, 3, 1), left_on=dt.date(2025, 2, 1)
        )
    )


def test_a_branch_school_belongs_to_the_university_not_to_another_branch(branch_school):
    school = SeniorSchool(name="分校的分校", parent=branch_school)
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "parent" in error.value.message_dict


def test_a_university_with_branch_schools_cannot_become_a_branch(university, branch_school):
    other = SeniorSchool.objects.create(name="县老年大学")
    university.parent = other
    with pytest.raises(ValidationError) as error:
        university.full_clean()
    assert "parent" in error.value.message_dict


def test_a_course_starts_in_the_year_it_is_listed_under(university):
    course = Course(
        school=university, name="摄影班", subject="photography", year=2024, starts_on=dt.date(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "starts_on" in error.value.message_dict
