"""The cadre list's queries use the indexes made for them (PostgreSQL, where CI runs)."""

import pytest
from django.db import connection
from django.test import RequestFactory

from cadres.filters import CadreFilter
from cadres.selectors import cadre_list
from tests.factories import CadreFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="index plans are PostgreSQL's; CI runs on it"
    ),
]


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is tiny: forbid the sequential scan so the planner shows the index it would use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _filtered(user, **params):
    request = RequestFactory().get("/cadres/", params)
    request.user = user
    return CadreFilter(request.GET, queryset=cadre_list(user=user), request=request).qs


def test_a_name_search_reads_the_code_point_name_index(branch_a, staff_user):
    CadreFactory(name="张伟", branch=branch_a)
    plan = _plan(_filtered(staff_user, q="张伟")[:21])
    assert "cadre_living_name_idx" in plan


def test_the_default_list_counts_without_reading_the_table(branch_a, staff_user):
    CadreFactory(branch=branch_a)
    queryset = _filtered(staff_user).values("pk")[:201]
    # Either partial index on the living serves the count; which one depends on table statistics.
    assert "Index Only Scan using cadre_living_" in _plan(queryset)
