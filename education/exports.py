"""The columns of each senior-university list as a spreadsheet: the rows the list shows, filters and
scope kept. ID numbers are masked for every role, as on the registry's lists."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.exports import CHUNK
from core.masking import mask_id_number
from education.models import Course, Enrolment, SeniorSchool


def _label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


def _day(value) -> str:
    return value.isoformat() if value else ""


def schools_table(schools, *, user):
    headers = [
        _label(SeniorSchool, "name"),
        _("Kind"),
        _label(SeniorSchool, "parent"),
        _label(SeniorSchool, "area"),
        _label(SeniorSchool, "address"),
        _label(SeniorSchool, "founded_on"),
        _label(SeniorSchool, "closed_on"),
        _("Courses"),
        _("Students"),
    ]
    rows = (
        [
            school.name,
            _("Branch school") if school.parent_id else _("The university itself"),
            school.parent.name if school.parent_id else "",
            school.area.name if school.area_id else "",
            school.address,
            _day(school.founded_on),
            _day(school.closed_on),
            school.course_count,
            school.student_count,
        ]
        for school in schools.iterator(chunk_size=CHUNK)
    )
    return headers, rows


def courses_table(courses, *, user):
    headers = [
        _label(Course, "year"),
        _label(Course, "school"),
        _label(Course, "name"),
        _label(Course, "subject"),
        _label(Course, "teacher"),
        _label(Course, "starts_on"),
        _label(Course, "ends_on"),
        _label(Course, "capacity"),
        _("Current students"),
    ]
    rows = (
        [
            course.year,
            course.school.name,
            course.name,
            course.get_subject_display(),
            course.teacher,
            _day(course.starts_on),
            _day(course.ends_on),
            course.capacity if course.capacity is not None else "",
            course.student_count,
        ]
        for course in courses.iterator(chunk_size=CHUNK)
    )
    return headers, rows


def enrolments_table(enrolments, *, user):
    headers = [
        _label(Enrolment, "cadre"),
        _("ID number"),
        _("Branch"),
        _label(Course, "year"),
        _label(Course, "school"),
        _label(Enrolment, "course"),
        _label(Course, "subject"),
        _label(Enrolment, "enrolled_on"),
        _label(Enrolment, "left_on"),
    ]
    rows = (
        [
            enrolment.cadre.name,
            mask_id_number(enrolment.cadre.id_number),
            enrolment.cadre.branch.name if enrolment.cadre.branch_id else "",
            enrolment.course.year,
            enrolment.course.school.name,
            enrolment.course.name,
            enrolment.course.get_subject_display(),
            _day(enrolment.enrolled_on),
            _day(enrolment.left_on),
        ]
        for enrolment in enrolments.iterator(chunk_size=CHUNK)
    )
    return headers, rows
