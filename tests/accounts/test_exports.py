"""The audit log downloads the entries its page lists, with the page's filters."""

import pytest
from auditlog.context import set_actor
from django.urls import reverse
from django.utils import timezone

from cadres.services import cadre_update
from tests.test_exports import csv_table, xlsx_table

pytestmark = pytest.mark.django_db
AUDIT_LOG = reverse("accounts:audit_log")


def test_the_audit_log_export_keeps_the_filters_and_shows_each_change(
    cadre_a, staff_user, auditor, client_as
):
    with set_actor(staff_user):
        cadre_update(cadre=cadre_a, former_unit="市城管局", phone="13900001111")
    client = client_as(auditor)
    params = {"actor": staff_user.username}
    header, *rows = csv_table(client.get(AUDIT_LOG, {**params, "format": "csv"}))
    assert len(rows) == len(client.get(AUDIT_LOG, params).context["entries"]) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["用户"] == staff_user.username
    assert row["记录"].endswith(": 王建国")
    assert {"former_unit:  → 市城管局", "phone: 13812345678 → 13900001111"} <= set(
        row["变更内容"].split("\n")
    )
    assert csv_table(client.get(AUDIT_LOG, {"actor": "nobody", "format": "csv"})) == [header]


def test_the_audit_log_export_writes_local_time_without_a_zone(cadre_a, auditor, client_as):
    client = client_as(auditor)
    entry = client.get(AUDIT_LOG).context["entries"][0]
    _header, *rows = xlsx_table(client.get(AUDIT_LOG, {"format": "xlsx"}))
    expected = timezone.localtime(entry.timestamp).replace(tzinfo=None, microsecond=0)
    assert rows[0][0] == expected
    assert csv_table(client.get(AUDIT_LOG, {"format": "csv"}))[1][0] == expected.isoformat(" ")
