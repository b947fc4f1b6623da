"""Demo senior university: a university with branch schools, two years of courses and enrolments of
living demo cadres, made through the services from the demo registry."""

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Role, User
from education.demo import seed_education
from education.models import Course, Enrolment, SeniorSchool

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_registry, db):
    return seed_education(seed=1, today=timezone.localdate())


def test_seed_demo_runs_it_and_a_second_run_changes_nothing(seeded):
    assert seeded == {
        "senior-university schools": SeniorSchool.objects.count(),
        "courses": Course.objects.count(),
        "enrolments": Enrolment.objects.count(),
    }
    assert seed_education(seed=1, today=timezone.localdate()) == seeded


def test_it_makes_a_university_with_branch_schools_courses_and_students(seeded):
    (university,) = SeniorSchool.objects.filter(parent__isnull=True)
    assert university.branch_schools.count() >= 3
    # Last year's terms are over; this year's are those begun by today.
    assert timezone.localdate().year - 1 in set(Course.objects.values_list("year", flat=True))
    assert not Course.objects.filter(starts_on__gt=timezone.localdate()).exists()
    assert seeded["enrolments"] >= 10


def test_no_one_dead_is_enrolled_and_no_course_is_overfull(seeded):
    assert not Enrolment.objects.filter(cadre__deceased_on__isnull=False).exists()
    assert not Enrolment.objects.filter(enrolled_on__gt=timezone.localdate()).exists()
    overfull = (
        Course.objects.filter(capacity__isnull=False)
        .annotate(current=Count("enrolments", filter=Q(enrolments__left_on__isnull=True)))
        .filter(current__gt=F("capacity"))
    )
    assert not overfull.exists()


def test_the_demo_secretarys_members_study_there(seeded):
    secretary = User.objects.get(role=Role.BRANCH_SECRETARY)
    assert Enrolment.objects.filter(cadre__branch=secretary.branch).exists()
