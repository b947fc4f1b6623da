"""Pagination that never counts or skips more than a bounded number of rows.

A million-row registry makes COUNT(*) and deep OFFSETs the slowest part of a list page.
Like a search engine, a list counts exactly up to `count_cap` rows and shows the
planner's estimate beyond; it pages through at most `max_rows` rows and asks the user to
narrow the filter to go further. Whether a next page exists is read from one extra row.
"""

import json
from functools import cached_property

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connections
from django.db.models import Subquery

# From this offset on, a page first picks its ids and then loads the rows with their
# joins, so the skipped rows are read from the narrow id order only.
DEFERRED_JOIN_OFFSET = 500


class CappedPage(Page):
    def has_next(self):
        return self._has_more


class CappedPaginator(Paginator):
    def __init__(
        self, object_list, per_page, max_rows: int | None = None, count_cap: int | None = None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.max_rows = max_rows or settings.LIST_MAX_ROWS
        self.count_cap = min(count_cap or settings.LIST_COUNT_CAP, self.max_rows)

    @cached_property
    def count(self):
        # COUNT over a LIMITed subquery: its cost is bounded by count_cap, not the table.
        return min(self.object_list[: self.count_cap + 1].count(), self.count_cap + 1)

    @property
    def capped(self):
        return self.count > self.count_cap

    @cached_property
    def estimated_count(self) -> int | None:
        """PostgreSQL's estimate of the rows past the cap (None elsewhere): costs a plan, not a scan."""
        if not self.capped or not hasattr(self.object_list, "query"):
            return None
        connection = connections[self.object_list.db]
        if connection.vendor != "postgresql":
            return None
        sql, params = self.object_list.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(int(plan[0]["Plan"]["Plan Rows"]), self.count_cap + 1)

    @cached_property
    def num_pages(self):
        if not self.capped:
            return super().num_pages
        return -(-self.max_rows // self.per_page)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self._rows(bottom, bottom + self.per_page + 1))
        page = CappedPage(rows[: self.per_page], number, self)
        page._has_more = len(rows) > self.per_page and number < self.num_pages
        return page

    def _rows(self, bottom, top):
        queryset = self.object_list
        if bottom < DEFERRED_JOIN_OFFSET or not hasattr(queryset, "values"):
            return queryset[bottom:top]
        return queryset.filter(pk__in=Subquery(queryset.values("pk")[bottom:top]))


def paginate(request, queryset, *, default_per_page: int = 20):
    """Return (page, query_string) for `queryset` (or a list) from the request's `page` and `per_page`."""
    try:
        per_page = int(request.GET.get("per_page", default_per_page))
    except ValueError:
        per_page = default_per_page
    if per_page not in settings.LIST_PAGE_SIZES:
        per_page = default_per_page
    # A list already in memory (a report's rows) is counted as it is; a queryset is capped.
    paginator = (
        Paginator(queryset, per_page) if isinstance(queryset, list) else CappedPaginator(queryset, per_page)
    )
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        page = paginator.page(paginator.num_pages if str(request.GET.get("page", "")).isdigit() else 1)
    # Link two pages either side: looping over every page number in a template is slow.
    page.window = range(max(1, page.number - 2), min(paginator.num_pages, page.number + 2) + 1)
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
