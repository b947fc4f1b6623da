"""Who may see which senior-university records: each rule rests on accounts.scoping, in this one place.

- An enrolment is seen by whoever may see the enrolled cadre's current branch.
- Schools and courses are the bureau's: bureau-wide roles see them all; anyone else sees a course
  only through an enrolment they may see in it, and a school only through such a course. So a
  secretary meets the courses their own members take, and nothing of other branches.
"""

from django.db.models import QuerySet

from accounts.scoping import scope_queryset
from education.models import Course, Enrolment, SeniorSchool


def enrolments_visible(user) -> QuerySet[Enrolment]:
    return scope_queryset(user, Enrolment.objects.all(), "cadre__branch")


def courses_visible(user) -> QuerySet[Course]:
    if user.is_authenticated and user.is_bureau_wide:
        return Course.objects.all()
    return Course.objects.filter(pk__in=enrolments_visible(user).values("course_id"))


def schools_visible(user) -> QuerySet[SeniorSchool]:
    if user.is_authenticated and user.is_bureau_wide:
        return SeniorSchool.objects.all()
    return SeniorSchool.objects.filter(pk__in=enrolments_visible(user).values("course__school_id"))
