"""Every list in the side navigation downloads what it shows, as .xlsx and as .csv.

The first test walks the navigation of each demo role: a list page added to the navigation
without export links fails it, and so does one whose downloads disagree with each other.
Pages in the navigation that are not lists are named in NOT_LISTS with the reason.
"""

import csv
import html
import io
import re

import openpyxl
import pytest
from django.urls import resolve, reverse

from accounts.models import User
from core.demo_data import DEMO_USERS
from core.exports import EXPORT_TYPES
from core.masking import mask_id_number, mask_phone
from core.navigation import navigation_for

NOT_LISTS = {
    "reports:dashboard": "figures and charts, each a link to the list it counts",
    "volunteers:summary": "a period's figures, each a link to the list it counts",
    "outreach:summary": "a period's figures, each a link to the list it counts",
    "branches:my_branch": "the secretary's workspace, whose lists have pages of their own",
    "admin:index": "the Django admin",
    "imports:index": "an upload form; the imports' list is its own page",
    "reports:annual": "a report of sections, not rows; its workbook opens with a title",
}
EXPORT_LINK = re.compile(r'href="(\?[^"]*\bformat=(xlsx|csv))"')
CADRES = reverse("cadres:cadre_list")


def _own_row(client, cadre) -> dict:
    # Filtered to the cadre's branch: the demo registry of the first test stays for the module.
    header, *rows = csv_table(client.get(CADRES, {"format": "csv", "branch": cadre.branch_id}))
    assert len(rows) == 1
    return dict(zip(header, rows[0], strict=True))


def csv_table(response) -> list[list[str]]:
    """The rows of a CSV download, header first."""
    assert response["Content-Type"] == EXPORT_TYPES["csv"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_table(response) -> list[list]:
    """The rows of an .xlsx download's sheet, header first, empty cells as ""."""
    assert response["Content-Type"] == EXPORT_TYPES["xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def _list_pages(user):
    """(view name, url) of each list page the navigation offers `user`."""
    for section in navigation_for(user, ""):
        for entry in section["entries"]:
            view_name = resolve(entry["url"]).view_name
            if view_name not in NOT_LISTS:
                yield view_name, entry["url"]


@pytest.fixture
def seeded(demo_registry, db):
    return demo_registry


@pytest.mark.parametrize("username", [username for username, *_rest in DEMO_USERS])
def test_every_list_in_the_navigation_downloads_as_xlsx_and_csv(username, seeded, client):
    user = User.objects.get(username=username)
    client.force_login(user)
    pages = list(_list_pages(user))
    assert pages, username
    for view_name, url in pages:
        page = client.get(url)
        assert page.status_code == 200, view_name
        links = {kind: html.unescape(href) for href, kind in EXPORT_LINK.findall(page.content.decode())}
        assert set(links) == {"xlsx", "csv"}, f"{view_name} offers no download for {username}"
        xlsx = client.get(url + links["xlsx"])
        csv_ = client.get(url + links["csv"])
        assert (xlsx.status_code, csv_.status_code) == (200, 200), view_name
        assert xlsx["Content-Disposition"].startswith("attachment"), view_name
        xlsx_rows, csv_rows = xlsx_table(xlsx), csv_table(csv_)
        assert xlsx_rows[0] == csv_rows[0], view_name
        assert all(isinstance(header, str) and header for header in csv_rows[0]), view_name
        assert len(xlsx_rows) == len(csv_rows), view_name


def test_every_page_named_as_no_list_is_still_in_the_navigation():
    from core.navigation import NAVIGATION

    offered = {item.url_name for section in NAVIGATION for item in section.items}
    assert set(NOT_LISTS) <= offered


def test_a_secretarys_cadre_export_holds_only_the_own_branchs_cadres(
    cadre_a, cadre_b, secretary_a, client_as
):
    client = client_as(secretary_a)
    for table in (
        csv_table(client.get(CADRES, {"format": "csv"})),
        xlsx_table(client.get(CADRES, {"format": "xlsx"})),
    ):
        names = [row[0] for row in table[1:]]
        assert names == [cadre_a.name]


def test_an_auditors_cadre_export_masks_id_numbers_and_phones(cadre_a, auditor, client_as):
    row = _own_row(client_as(auditor), cadre_a)
    assert row["身份证号"] == mask_id_number(cadre_a.id_number)
    assert row["联系电话"] == mask_phone(cadre_a.phone)
    assert cadre_a.id_number not in row.values() and cadre_a.phone not in row.values()


def test_id_numbers_stay_masked_even_for_staff_who_may_reveal_them_one_by_one(cadre_a, staff_user, client_as):
    # The list masks every ID number; a full one is shown on the cadre's page, logged each time.
    row = _own_row(client_as(staff_user), cadre_a)
    assert row["身份证号"] == mask_id_number(cadre_a.id_number)
    assert row["联系电话"] == cadre_a.phone


def test_a_secretary_sees_the_own_members_phones_in_full(cadre_a, secretary_a, client_as):
    assert _own_row(client_as(secretary_a), cadre_a)["联系电话"] == cadre_a.phone


def test_health_notes_are_never_exported(cadre_a, staff_user, client_as):
    cadre_a.health_notes = "高血压，需定期复查"
    cadre_a.save()
    for file_type in ("csv", "xlsx"):
        response = client_as(staff_user).get(CADRES, {"format": file_type, "status": "all"})
        assert response.status_code == 200
        assert "高血压" not in str(csv_table(response) if file_type == "csv" else xlsx_table(response))
