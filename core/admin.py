"""Admin building blocks (every page of branch data passes through the one scoping rule),
and the outbox's admin."""

from django.contrib import admin

from accounts.scoping import scope_queryset, visible_branches
from core.models import OutboxMessage
from core.pagination import CappedPaginator


class CappedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose changelist counts and pages through a bounded number of rows."""

    paginator = CappedPaginator
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CappedPaginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page
        )


class ScopedAdmin(CappedAdmin):
    """A ModelAdmin whose rows are narrowed to the branches the user may see."""

    # The path to the row's branch; "" when the model is the branch itself.
    branch_field = "branch"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.branch_field == "":
            return queryset.filter(pk__in=visible_branches(request.user).values("pk"))
        return scope_queryset(request.user, queryset, self.branch_field)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(CappedAdmin):
    """For looking, not editing: rows are written by core.outbox. Deleting stays possible,
    to drop a message that can never be sent."""

    list_display = ["id", "task_name", "queue", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["task_name", "=task_id"]
    readonly_fields = [
        "task_name",
        "args",
        "kwargs",
        "queue",
        "task_id",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
