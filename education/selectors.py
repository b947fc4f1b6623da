"""Reads on the senior university; every one starts from education.scoping.

The filter_* functions are the lists' filters, and the annual report counts through the same ones,
so a figure and the list behind it cannot disagree.
"""

import datetime as dt

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from branches.models import Area, Branch
from branches.selectors import existing_on
from education import scoping
from education.models import Course, Enrolment, SeniorSchool

MAIN, BRANCH_SCHOOL = "main", "branch"


def _areas(area: Area):
    return Area.objects.filter(path__startswith=area.path).values("pk")


def _branches(branch: Branch):
    # An IN over the subtree's ids plans faster than a join on the path.
    return Branch.objects.filter(path__startswith=branch.path).values("pk")


def _enrolments_of_members(branch: Branch):
    """Enrolments of the cadres whose current branch lies in `branch`'s subtree."""
    return Enrolment.objects.filter(cadre__branch__in=_branches(branch))


def _count_of(queryset, group_field: str, *, distinct_field: str = "pk"):
    """A correlated COUNT of `queryset` rows (distinct `distinct_field`) per outer row, 0 when none."""
    counted = (
        queryset.filter(**{group_field: OuterRef("pk")})
        .order_by()
        .values(group_field)
        .annotate(total=Count(distinct_field, distinct=distinct_field != "pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# Schools


def filter_schools(
    schools: QuerySet[SeniorSchool],
    *,
    kind: str = "",
    area: Area | None = None,
    branch: Branch | None = None,
    on: dt.date | None = None,
    query: str = "",
) -> QuerySet[SeniorSchool]:
    """Schools of `kind` (the university itself or a branch school) in `area` (and below), attended by
    members of `branch` (and below), open on the day `on`, with `query` in the name."""
    if kind == MAIN:
        schools = schools.filter(parent__isnull=True)
    elif kind == BRANCH_SCHOOL:
        schools = schools.filter(parent__isnull=False)
    if area is not None:
        schools = schools.filter(area__in=_areas(area))
    if branch is not None:
        schools = schools.filter(pk__in=_enrolments_of_members(branch).values("course__school_id"))
    if on is not None:
        schools = schools.filter(existing_on(on, start="founded_on", end="closed_on"))
    if query:
        schools = schools.filter(name__contains=query)
    return schools


def school_list(*, user) -> QuerySet[SeniorSchool]:
    """Schools `user` may see, the university first, with the courses and the students (distinct
    cadres ever enrolled) that `user` may see in each: one query per page however many schools."""
    return (
        scoping.schools_visible(user)
        .select_related("parent", "area")
        .annotate(
            course_count=_count_of(scoping.courses_visible(user), "school"),
            student_count=_count_of(
                scoping.enrolments_visible(user), "course__school", distinct_field="cadre"
            ),
        )
        .order_by(F("parent").asc(nulls_first=True), "name", "id")
    )


def school_get(*, user, pk) -> SeniorSchool:
    """The school `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(scoping.schools_visible(user).select_related("parent", "area"), pk=pk)


def school_branch_schools(*, user, school: SeniorSchool) -> QuerySet[SeniorSchool]:
    """The branch schools of `school` that `user` may see, by name."""
    return scoping.schools_visible(user).filter(parent=school).select_related("area").order_by("name", "id")


def school_courses(*, user, school: SeniorSchool) -> QuerySet[Course]:
    """The school's courses `user` may see, newest year first, with their current students."""
    return course_list(user=user).filter(school=school)


def open_schools(*, include: SeniorSchool | None = None) -> QuerySet[SeniorSchool]:
    """Schools still running (and `include`, a course's own school): what a course form offers."""
    schools = SeniorSchool.objects.filter(closed_on__isnull=True)
    if include is not None:
        schools = schools | SeniorSchool.objects.filter(pk=include.pk)
    return schools.order_by(F("parent").asc(nulls_first=True), "name", "id")


# Courses


def filter_courses(
    courses: QuerySet[Course],
    *,
    school: SeniorSchool | None = None,
    year: int | None = None,
    subject: str = "",
    area: Area | None = None,
    branch: Branch | None = None,
    query: str = "",
) -> QuerySet[Course]:
    """Courses of `school`, of the `year`, in `subject`, at a school in `area` (and below), taken by
    members of `branch` (and below), with `query` in the name."""
    if school is not None:
        courses = courses.filter(school=school)
    if year is not None:
        courses = courses.filter(year=year)
    if subject:
        courses = courses.filter(subject=subject)
    if area is not None:
        courses = courses.filter(school__area__in=_areas(area))
    if branch is not None:
        courses = courses.filter(pk__in=_enrolments_of_members(branch).values("course_id"))
    if query:
        courses = courses.filter(name__contains=query)
    return courses


def course_list(*, user) -> QuerySet[Course]:
    """Courses `user` may see, newest year first, with the school and the students now on each
    (of those `user` may see)."""
    current = scoping.enrolments_visible(user).filter(left_on__isnull=True)
    return (
        scoping.courses_visible(user)
        .select_related("school")
        .annotate(student_count=_count_of(current, "course"))
        .order_by("-year", "school__name", "name", "id")
    )


def course_get(*, user, pk) -> Course:
    """The course `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(
        scoping.courses_visible(user).select_related("school__parent", "school__area"), pk=pk
    )


def course_enrolments(*, user, course: Course) -> QuerySet[Enrolment]:
    """The course's enrolments `user` may see, current first, by the student's name."""
    return (
        scoping.enrolments_visible(user)
        .filter(course=course)
        .select_related("cadre__branch")
        .order_by(F("left_on").desc(nulls_first=True), "cadre__name", "id")
    )


# Enrolments


def filter_enrolments(
    enrolments: QuerySet[Enrolment],
    *,
    school: SeniorSchool | None = None,
    year: int | None = None,
    subject: str = "",
    status: str = "",
    area: Area | None = None,
    branch: Branch | None = None,
    query: str = "",
) -> QuerySet[Enrolment]:
    """Enrolments at `school`, on courses of the `year` and `subject`, current or withdrawn, of
    students living in `area` (and below) and belonging to `branch` (and below), named `query`."""
    if school is not None:
        enrolments = enrolments.filter(course__school=school)
    if year is not None:
        enrolments = enrolments.filter(course__year=year)
    if subject:
        enrolments = enrolments.filter(course__subject=subject)
    if status == "current":
        enrolments = enrolments.filter(left_on__isnull=True)
    elif status == "withdrawn":
        enrolments = enrolments.filter(left_on__isnull=False)
    if area is not None:
        enrolments = enrolments.filter(cadre__area__in=_areas(area))
    if branch is not None:
        enrolments = enrolments.filter(cadre__branch__in=_branches(branch))
    if query:
        enrolments = enrolments.filter(cadre__name__startswith=query)
    return enrolments


def enrolment_list(*, user) -> QuerySet[Enrolment]:
    """Enrolments `user` may see, newest first, with the course, its school and the student's branch."""
    return (
        scoping.enrolments_visible(user)
        .select_related("course__school", "cadre__branch")
        .order_by("-enrolled_on", "-id")
    )


def enrolment_get(*, user, pk) -> Enrolment:
    """The enrolment `pk` if `user` may see the student's branch; 404 otherwise."""
    return get_object_or_404(
        scoping.enrolments_visible(user).select_related("course__school", "cadre"), pk=pk
    )


def cadres_enrolled_in(*, year: int):
    """The ids of cadres enrolled on a course of `year`: the cadre list's filter behind the annual
    report's count of students."""
    return Enrolment.objects.filter(course__year=year).values("cadre_id")
