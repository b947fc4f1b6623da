"""Admin pages of the senior university; every changelist follows education.scoping's rules."""

from django.contrib import admin

from core.admin import CappedAdmin, ScopedAdmin
from education.models import Course, Enrolment, SeniorSchool
from education.scoping import courses_visible, schools_visible


@admin.register(SeniorSchool)
class SeniorSchoolAdmin(CappedAdmin):
    list_display = ["name", "parent", "area", "founded_on", "closed_on"]
    list_filter = [("parent", admin.EmptyFieldListFilter), "founded_on", "closed_on"]
    list_select_related = ["parent", "area"]
    search_fields = ["name", "address", "area__name"]
    autocomplete_fields = ["parent", "area"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=schools_visible(request.user).values("pk"))


@admin.register(Course)
class CourseAdmin(CappedAdmin):
    list_display = ["name", "school", "year", "subject", "starts_on", "ends_on", "teacher", "capacity"]
    list_filter = ["year", "subject"]
    list_select_related = ["school"]
    search_fields = ["name", "teacher", "school__name"]
    autocomplete_fields = ["school"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=courses_visible(request.user).values("pk"))


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdmin):
    branch_field = "cadre__branch"
    list_display = ["cadre", "course", "enrolled_on", "left_on"]
    list_filter = ["course__year", "enrolled_on", "left_on"]
    list_select_related = ["cadre", "course"]
    search_fields = ["cadre__name", "course__name", "course__school__name"]
    autocomplete_fields = ["cadre", "course"]
    date_hierarchy = "enrolled_on"
