"""A senior university with a branch school, a course of each, and a student from each branch."""

import datetime as dt

import pytest

from education.services import course_create, enrolment_create, school_create


@pytest.fixture
def university(db):
    return school_create(name="市老年大学", founded_on=dt.date(1988, 9, 1), address="文化路8号")


@pytest.fixture
def branch_school(university):
    return school_create(name="安丰镇分校", parent=university, founded_on=dt.date(2015, 9, 1))


@pytest.fixture
def calligraphy(branch_school):
    return course_create(
        school=branch_school,
        name="书法班",
        subject="calligraphy_painting",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 7, 15),
        teacher="李墨林",
        capacity=2,
    )


@pytest.fixture
def poetry(university):
    return course_create(
        school=university, name="诗词鉴赏班", subject="poetry", starts_on=dt.date(2025, 9, 1)
    )


@pytest.fixture
def enrolled(calligraphy, poetry, cadre_a, cadre_b):
    """cadre a on calligraphy, cadre b on poetry."""
    return {
        "a": enrolment_create(course=calligraphy, cadre=cadre_a, enrolled_on=dt.date(2025, 2, 20)),
        "b": enrolment_create(course=poetry, cadre=cadre_b, enrolled_on=dt.date(2025, 8, 20)),
    }
