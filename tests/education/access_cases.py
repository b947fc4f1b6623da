"""Access cases of the senior-university URLs: how to build another branch's object id (see tests/test_access.py).

A school and a course are the bureau's; a secretary meets them only through their own members'
enrolments, so school b and course b (where only cadre b studies) are another branch's to them.
"""

import datetime as dt

from education.models import Course, Enrolment, SeniorSchool
from education.services import course_create, enrolment_create, school_create

CASES = {
    "education:school_detail": lambda ctx: {"pk": ctx["education_school_b"].pk},
    "education:school_update": lambda ctx: {"pk": ctx["education_school_b"].pk},
    "education:course_detail": lambda ctx: {"pk": ctx["education_course_b"].pk},
    "education:course_update": lambda ctx: {"pk": ctx["education_course_b"].pk},
    "education:course_enrol": lambda ctx: {"pk": ctx["education_course_b"].pk},
    "education:enrolment_withdraw": lambda ctx: {"pk": ctx["education_enrolment_b"].pk},
    "education:enrolment_delete": lambda ctx: {"pk": ctx["education_enrolment_b"].pk},
}

SNAPSHOT_MODELS = [SeniorSchool, Course, Enrolment]


def _objects(branch, cadre, suffix):
    school = school_create(name=f"{branch.name}老年大学分校", founded_on=dt.date(2020, 9, 1))
    course = course_create(
        school=school,
        name="书法班",
        subject="calligraphy_painting",
        starts_on=dt.date(2025, 3, 1),
        capacity=30,
    )
    enrolment = enrolment_create(course=course, cadre=cadre, enrolled_on=dt.date(2025, 2, 20))
    return {
        f"education_school_{suffix}": school,
        f"education_course_{suffix}": course,
        f"education_enrolment_{suffix}": enrolment,
    }


def build(ctx):
    """Objects of branch a and branch b, keyed `education_<name>_a` and `education_<name>_b`."""
    return {
        **_objects(ctx["branch_a"], ctx["cadre_a"], "a"),
        **_objects(ctx["branch_b"], ctx["cadre_b"], "b"),
    }
