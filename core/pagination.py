"""Pagination that never counts or skips more than a bounded number of rows.

A million-row registry makes COUNT(*) and deep OFFSETs the slowest part of a list page;
like a search engine, the list shows "more than N" and asks the user to narrow the filter.
"""

from functools import cached_property

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, max_rows: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_rows = max_rows or settings.LIST_MAX_ROWS

    @cached_property
    def count(self):
        # COUNT over a LIMITed subquery: its cost is bounded by max_rows, not the table.
        return min(self.object_list[: self.max_rows + 1].count(), self.max_rows + 1)

    @property
    def capped(self):
        return self.count > self.max_rows

    @cached_property
    def num_pages(self):
        return super().num_pages if not self.capped else -(-self.max_rows // self.per_page)


def paginate(request, queryset, *, default_per_page: int = 20):
    """Return (page, query_string) for `queryset` from the request's `page` and `per_page`."""
    try:
        per_page = int(request.GET.get("per_page", default_per_page))
    except ValueError:
        per_page = default_per_page
    if per_page not in settings.LIST_PAGE_SIZES:
        per_page = default_per_page
    paginator = CappedPaginator(queryset, per_page)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        page = paginator.page(paginator.num_pages if str(request.GET.get("page", "")).isdigit() else 1)
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
