"""The rules' daily queries use the indexes made for them (PostgreSQL, where CI runs)."""

import datetime as dt

import pytest
from django.db import connection

from reminders import rules, selectors
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


@pytest.mark.parametrize(
    ("rule", "on", "index"),
    [
        (rules.solar_birthdays, dt.date(2025, 3, 14), "cadre_birth_md_idx"),
        (rules.lunar_birthdays, dt.date(2025, 3, 14), "cadre_lunar_birth_md_idx"),
        (rules.political_birthdays, dt.date(2025, 7, 1), "cadre_party_join_md_idx"),
        (rules.medal_due, dt.date(2025, 6, 1), "cadre_party_join_date_idx"),
        (rules.officer_terms_ending, dt.date(2025, 6, 1), "officer_term_end_idx"),
    ],
)
def test_each_rule_reads_its_index(rule, on, index):
    CadreFactory(party_join_date=dt.date(1975, 7, 1))
    assert index in _plan(rule(on=on))


def test_the_badge_count_reads_the_open_reminders_index(secretary_a):
    queryset = selectors.reminders_of(user=secretary_a).values("pk")
    assert "reminder_open_idx" in _plan(queryset)
