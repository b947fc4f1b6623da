from django.contrib import admin

from core.admin import CappedAdmin
from imports.models import ImportJob
from imports.selectors import job_list


@admin.register(ImportJob)
class ImportJobAdmin(CappedAdmin):
    """The record of imports, for looking: jobs are made and moved on by imports.services."""

    list_display = [
        "id",
        "resource",
        "file_name",
        "uploaded_by",
        "created_at",
        "status",
        "create_count",
        "update_count",
        "skip_count",
        "error_count",
    ]
    list_filter = ["status", "resource"]
    search_fields = ["file_name", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    exclude = ["file"]

    def get_queryset(self, request):
        # The same rule as the staff pages: one's own jobs; a bureau admin sees everyone's.
        return job_list(user=request.user).defer(None)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
