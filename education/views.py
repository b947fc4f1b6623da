"""Pages of the senior university: schools, courses, enrolments.

Every page looks its object up through education.selectors (another scope's id answers 404) and then
checks the permission (403); the writes are the bureau's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import require_perm
from core.pages import confirm_delete_page, form_page, list_page, save_form
from education import exports, scoping, selectors, services
from education.forms import (
    CourseFilterForm,
    CourseForm,
    EnrolForm,
    EnrolmentFilterForm,
    SchoolFilterForm,
    SchoolForm,
    WithdrawForm,
)

# Schools


@login_required
@permission_required("education.view_seniorschool", raise_exception=True)
def school_list(request):
    form = SchoolFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "education/school_list.html",
        form.filter(selectors.school_list(user=request.user)),
        {"form": form},
        export=exports.schools_table,
        filename=_("senior-university-schools"),
    )


@login_required
def school_detail(request, pk):
    school = selectors.school_get(user=request.user, pk=pk)
    require_perm(request.user, "education.view_seniorschool")
    return render(
        request,
        "education/school_detail.html",
        {
            "school": school,
            "branch_schools": selectors.school_branch_schools(user=request.user, school=school),
            "courses": selectors.school_courses(user=request.user, school=school)[:50],
            # The main university is linked only where the user may open it.
            "parent_visible": school.parent_id is not None
            and scoping.schools_visible(request.user).filter(pk=school.parent_id).exists(),
        },
    )


@login_required
def school_create(request):
    require_perm(request.user, "education.add_seniorschool")
    form = SchoolForm(request.POST or None)
    return save_form(
        request,
        form,
        save=lambda data: services.school_create(**data),
        success=lambda school: _("%(name)s was created.") % {"name": school.name},
    ) or form_page(
        request,
        form,
        title=_("Add a senior-university school"),
        back_url=reverse("education:school_list"),
        back_label=_("Senior university"),
    )


@login_required
def school_update(request, pk):
    school = selectors.school_get(user=request.user, pk=pk)
    require_perm(request.user, "education.change_seniorschool")
    form = SchoolForm(request.POST or None, instance=school)
    return save_form(
        request,
        form,
        # A fresh copy: the form has already written its values onto `school`.
        save=lambda data: services.school_update(
            school=selectors.school_get(user=request.user, pk=pk), **data
        ),
        success=_("The changes were saved."),
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": school.name},
        back_url=reverse("education:school_detail", args=[pk]),
        back_label=school.name,
    )


# Courses


@login_required
@permission_required("education.view_course", raise_exception=True)
def course_list(request):
    form = CourseFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "education/course_list.html",
        form.filter(selectors.course_list(user=request.user)),
        {"form": form},
        export=exports.courses_table,
        filename=_("senior-university-courses"),
    )


@login_required
def course_detail(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    require_perm(request.user, "education.view_course")
    enrolments = list(selectors.course_enrolments(user=request.user, course=course))
    current = sum(1 for enrolment in enrolments if enrolment.is_current)
    can_enrol = request.user.has_perm("education.add_enrolment")
    return render(
        request,
        "education/course_detail.html",
        {
            "course": course,
            "enrolments": enrolments,
            "current_count": current,
            "places_left": None if course.capacity is None else max(course.capacity - current, 0),
            "enrol_form": EnrolForm(user=request.user) if can_enrol else None,
        },
    )


def _chosen_school(request):
    """The school named by ?school= for a new course, if the user may see it."""
    value = request.GET.get("school", "")
    if value.isdigit():
        return get_object_or_404(scoping.schools_visible(request.user), pk=value)
    return None


@login_required
def course_create(request):
    require_perm(request.user, "education.add_course")
    school = _chosen_school(request)
    form = CourseForm(request.POST or None, initial={"school": school.pk} if school else None)
    return save_form(
        request,
        form,
        save=lambda data: services.course_create(**data),
        success=lambda course: _("%(name)s was created.") % {"name": course.name},
    ) or form_page(
        request,
        form,
        title=_("Add a course"),
        back_url=school.get_absolute_url() if school else reverse("education:course_list"),
        back_label=school.name if school else _("Courses"),
    )


@login_required
def course_update(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    require_perm(request.user, "education.change_course")
    form = CourseForm(request.POST or None, instance=course)
    return save_form(
        request,
        form,
        # A fresh copy: the form has already written its values onto `course`.
        save=lambda data: services.course_update(
            course=selectors.course_get(user=request.user, pk=pk), **data
        ),
        success=_("The changes were saved."),
    ) or form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": course.name},
        back_url=course.get_absolute_url(),
        back_label=str(course),
    )


@login_required
def course_enrol(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    require_perm(request.user, "education.add_enrolment")
    form = EnrolForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        save=lambda data: services.enrolment_create(course=course, **data),
        success=lambda enrolment: (
            _("%(name)s was enrolled on %(course)s.") % {"name": enrolment.cadre.name, "course": course.name}
        ),
        next_url=course,
    ) or form_page(
        request,
        form,
        title=_("Enrol a cadre on %(course)s") % {"course": course},
        back_url=course.get_absolute_url(),
        back_label=str(course),
    )


# Enrolments


@login_required
@permission_required("education.view_enrolment", raise_exception=True)
def enrolment_list(request):
    form = EnrolmentFilterForm(request.GET, user=request.user)
    return list_page(
        request,
        "education/enrolment_list.html",
        form.filter(selectors.enrolment_list(user=request.user)),
        {"form": form},
        export=exports.enrolments_table,
        filename=_("senior-university-enrolments"),
    )


@login_required
def enrolment_withdraw(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    require_perm(request.user, "education.change_enrolment")
    course = enrolment.course
    form = WithdrawForm(request.POST or None)
    return save_form(
        request,
        form,
        save=lambda data: services.enrolment_withdraw(enrolment=enrolment, **data),
        success=_("%(name)s withdrew from the course.") % {"name": enrolment.cadre.name},
        next_url=course,
    ) or form_page(
        request,
        form,
        title=_("%(name)s withdraws from %(course)s") % {"name": enrolment.cadre.name, "course": course},
        back_url=course.get_absolute_url(),
        back_label=str(course),
    )


@login_required
def enrolment_delete(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    require_perm(request.user, "education.delete_enrolment")
    course = enrolment.course
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=_("Delete this enrolment?"),
            summary=f"{enrolment.cadre.name} · {course}",
            note=_("Delete only an enrolment recorded by mistake; a student who left is withdrawn instead."),
            cancel_url=course.get_absolute_url(),
        )
    services.enrolment_delete(enrolment=enrolment)
    messages.success(request, _("The enrolment was deleted."))
    return redirect(course)
