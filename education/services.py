"""Writes on the senior university: schools, courses, and cadres' enrolments on courses."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre
from core.models import assign_fields
from education.models import Course, Enrolment, SeniorSchool

_SCHOOL_FIELDS = {"name", "parent", "area", "address", "founded_on", "closed_on", "note"}
_COURSE_FIELDS = {"school", "name", "subject", "starts_on", "ends_on", "teacher", "capacity", "note"}


# Schools


@transaction.atomic
def school_create(*, name: str, **fields) -> SeniorSchool:
    """Create the senior university (no `parent`) or one of its branch schools."""
    school = assign_fields(SeniorSchool(name=name), fields, _SCHOOL_FIELDS)
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def school_update(*, school: SeniorSchool, **fields) -> SeniorSchool:
    """Change a school's own fields; closing it is refused while a course starts on or after that day."""
    school = assign_fields(SeniorSchool.objects.select_for_update().get(pk=school.pk), fields, _SCHOOL_FIELDS)
    school.full_clean()
    if school.closed_on is not None:
        later = school.courses.filter(starts_on__gte=school.closed_on).order_by("starts_on").first()
        if later is not None:
            raise ValidationError(
                {
                    "closed_on": _("The course %(course)s starts on %(date)s, after this day.")
                    % {"course": later.name, "date": later.starts_on.isoformat()}
                }
            )
    if school.founded_on is not None:
        earlier = school.courses.filter(starts_on__lt=school.founded_on).order_by("starts_on").first()
        if earlier is not None:
            raise ValidationError(
                {
                    "founded_on": _("The course %(course)s started on %(date)s, before this day.")
                    % {"course": earlier.name, "date": earlier.starts_on.isoformat()}
                }
            )
    school.save()
    return school


# Courses


def _course_checked(course: Course) -> Course:
    # The year is the start date's: the year's lists and the annual report count by it.
    if course.starts_on:
        course.year = course.starts_on.year
    duplicate = (
        Course.objects.filter(school_id=course.school_id, year=course.year, name=course.name)
        .exclude(pk=course.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {
                "name": _("%(school)s already holds a course named %(name)s in %(year)s.")
                % {"school": course.school.name, "name": course.name, "year": course.year}
            }
        )
    course.full_clean()
    return course


@transaction.atomic
def course_create(*, school: SeniorSchool, name: str, subject: str, starts_on: dt.date, **fields) -> Course:
    """Create a course of `school` starting on `starts_on`; its year is that day's year."""
    course = assign_fields(
        Course(school=school, name=name, subject=subject, starts_on=starts_on), fields, _COURSE_FIELDS
    )
    course = _course_checked(course)
    course.save()
    return course


@transaction.atomic
def course_update(*, course: Course, **fields) -> Course:
    """Change a course; its places cannot drop below the students now on it."""
    course = assign_fields(Course.objects.select_for_update().get(pk=course.pk), fields, _COURSE_FIELDS)
    course = _course_checked(course)
    if course.capacity is not None:
        current = course.enrolments.filter(left_on__isnull=True).count()
        if current > course.capacity:
            raise ValidationError(
                {
                    "capacity": _("%(count)s students are on the course: the places cannot be fewer.")
                    % {"count": current}
                }
            )
    late = course.enrolments.filter(enrolled_on__gt=course.ends_on).first() if course.ends_on else None
    if late is not None:
        raise ValidationError(
            {
                "ends_on": _("%(name)s enrolled on %(date)s, after this day.")
                % {"name": late.cadre.name, "date": late.enrolled_on.isoformat()}
            }
        )
    course.save()
    return course


# Enrolments


@transaction.atomic
def enrolment_create(*, course: Course, cadre: Cadre, enrolled_on: dt.date, note: str = "") -> Enrolment:
    """Enrol a living cadre on `course` while it has a free place; each cadre once per course."""
    # The course row is locked: two enrolments for its last place are made one after the other,
    # and the second finds the course full.
    course = Course.objects.select_for_update().select_related("school").get(pk=course.pk)
    if cadre.deceased_on is not None:
        raise ValidationError({"cadre": _("%(name)s has died.") % {"name": cadre.name}})
    earlier = Enrolment.objects.filter(course=course, cadre=cadre).first()
    if earlier is not None:
        message = (
            _("%(name)s is already enrolled on this course.")
            if earlier.left_on is None
            else _("%(name)s enrolled on this course before and withdrew on %(date)s.")
        )
        raise ValidationError(
            {"cadre": message % {"name": cadre.name, "date": earlier.left_on and earlier.left_on.isoformat()}}
        )
    if enrolled_on > timezone.localdate():
        raise ValidationError({"enrolled_on": _("The date is in the future.")})
    if course.ends_on is not None and enrolled_on > course.ends_on:
        raise ValidationError(
            {"enrolled_on": _("The course ended on %(date)s.") % {"date": course.ends_on.isoformat()}}
        )
    if course.capacity is not None:
        taken = course.enrolments.filter(left_on__isnull=True).count()
        if taken >= course.capacity:
            raise ValidationError(
                _("The course is full: all %(capacity)s places are taken.") % {"capacity": course.capacity},
                code="full",
            )
    enrolment = Enrolment(course=course, cadre=cadre, enrolled_on=enrolled_on, note=note)
    enrolment.full_clean(validate_unique=False)
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, left_on: dt.date) -> Enrolment:
    """Record that the student left the course on `left_on`; the place is free from then on."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.left_on is not None:
        raise ValidationError(
            {"left_on": _("The student withdrew on %(date)s.") % {"date": enrolment.left_on.isoformat()}}
        )
    if left_on < enrolment.enrolled_on:
        raise ValidationError(
            {"left_on": _("The student enrolled on %(date)s.") % {"date": enrolment.enrolled_on.isoformat()}}
        )
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date is in the future.")})
    enrolment.left_on = left_on
    enrolment.full_clean(validate_unique=False)
    enrolment.save(update_fields=["left_on", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_delete(*, enrolment: Enrolment) -> None:
    """Delete an enrolment recorded by mistake (one who left is withdrawn instead, and kept)."""
    Enrolment.objects.filter(pk=enrolment.pk).delete()
