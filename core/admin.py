"""Admin building blocks: every admin page passes through the one scoping rule."""

from django.contrib import admin

from accounts.scoping import scope_queryset, visible_branches
from core.pagination import CappedPaginator


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are narrowed to the branches the user may see."""

    # The path to the row's branch; "" when the model is the branch itself.
    branch_field = "branch"
    paginator = CappedPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.branch_field == "":
            return queryset.filter(pk__in=visible_branches(request.user).values("pk"))
        return scope_queryset(request.user, queryset, self.branch_field)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CappedPaginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page
        )
