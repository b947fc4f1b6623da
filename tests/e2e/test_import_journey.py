"""Bureau staff import a roster in a real browser: they download the template, fill in three new
cadres, one with a wrong ID check digit, and upload it; the preview names the row and the column,
and nothing is written. They correct the row and upload again, confirm the three new cadres,
and find them in the registry and in this year's annual report."""

import datetime as dt
from urllib.parse import urlencode

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from branches.models import Branch
from cadres.models import Cadre
from core import idcard
from imports.models import ImportJob
from imports.specs import CADRE_ROSTER
from tests.e2e.test_secretary_journey import log_in, path_of
from tests.factories import BranchFactory, CadreFactory, UserFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BRANCH = "兴化市城管局离退休干部党支部"
# (name, sex, birth date, retirement type): the three new cadres of the file.
NEWCOMERS = [
    ("钱文华", "M", dt.date(1951, 5, 20), "退休"),
    ("孙桂芳", "F", dt.date(1948, 11, 3), "离休"),
    ("周志强", "M", dt.date(1955, 2, 28), "退休"),
]
BAD_ROW = 3  # the second cadre's row: the header is row 1
# An import may take a few polls of its progress once a worker runs it.
IMPORT_TIMEOUT_MS = 30_000


@pytest.fixture
def in_process_tasks():
    """The import's tasks run in-process (the embedded default), whatever REDIS_URL this run has:
    no worker consumes the broker during the browser test."""
    from celery import current_app

    before = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = before


def _id_number(index: int, sex: str, born: dt.date) -> str:
    return idcard.make_id_number("321281", born, index, sex)


def _wrong_check_digit(number: str) -> str:
    return number[:17] + next(char for char in "0123456789X" if char != number[17])


def _fill(template_path, target_path, rows: list[dict]) -> None:
    """The downloaded template with `rows` (header → cell) typed in under the headers, as a clerk would."""
    workbook = openpyxl.load_workbook(template_path)
    sheet = workbook.worksheets[0]
    for offset, row in enumerate(rows, start=2):
        for column, header in enumerate(CADRE_ROSTER.headers, start=1):
            if header in row:
                sheet.cell(row=offset, column=column, value=row[header])
    workbook.save(target_path)


def _members_figure(page, year: int) -> int:
    page.goto(reverse("reports:annual") + "?" + urlencode({"year": year}))
    cell = page.locator('tr[data-figure="members"] [data-drilldown="this"]')
    expect(cell).to_have_count(1)
    return int(cell.inner_text().replace(",", ""))


def _upload(page, path) -> None:
    page.goto(reverse("imports:index"))
    page.select_option("#id_resource", CADRE_ROSTER.slug)
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="上传并检查").click()


def _search(page, name: str):
    page.goto(reverse("cadres:cadre_list") + "?" + urlencode({"q": name}))
    return page.get_by_test_id("cadre-table").locator("tbody tr")


def test_a_roster_with_a_wrong_row_imports_nothing_and_once_corrected_imports_all(
    new_context, screenshot, tmp_path, in_process_tasks
):
    committee = BranchFactory(name="兴化市离退休干部党委", kind=Branch.Kind.COMMITTEE)
    branch = BranchFactory(name=BRANCH, parent=committee)
    # Members before the import, since 2020: the report's year-end count starts from them.
    for name in ("陈德明", "王秀兰"):
        CadreFactory(name=name, branch=branch)
    staff = UserFactory(username="import_clerk", role=Role.BUREAU_STAFF, first_name="小王")
    year = timezone.localdate().year
    people = [
        {
            "姓名": name,
            "性别": "男" if sex == "M" else "女",
            "身份证号": _id_number(index, sex, born),
            "出生日期": born,
            "退休类别": retirement,
            "所在党支部": BRANCH,
            "联系电话": f"1380523{index:04d}",
        }
        for index, (name, sex, born, retirement) in enumerate(NEWCOMERS, start=1)
    ]
    right_number = people[BAD_ROW - 2]["身份证号"]
    people[BAD_ROW - 2]["身份证号"] = _wrong_check_digit(right_number)

    page = new_context(accept_downloads=True).new_page()
    log_in(page, staff)
    members_before = _members_figure(page, year)
    assert members_before == 2

    # The import page from the side navigation, and its template.
    page.locator(f'#portal-nav a[href="{reverse("imports:index")}"]').click()
    page.wait_for_url(reverse("imports:index"))
    with page.expect_download() as download_info:
        page.get_by_test_id("template-cadres").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    template_path = tmp_path / "template.xlsx"
    download.save_as(template_path)
    template = openpyxl.load_workbook(template_path, read_only=True)
    assert [cell.value for cell in next(template.worksheets[0].iter_rows(max_row=1))] == CADRE_ROSTER.headers
    template.close()

    # A wrong check digit in the second cadre's row: the preview names it, nothing is written.
    wrong_path = tmp_path / "花名册.xlsx"
    _fill(template_path, wrong_path, people)
    _upload(page, wrong_path)
    job = ImportJob.objects.latest("pk")
    assert path_of(page) == reverse("imports:job_detail", args=[job.pk])
    expect(page.get_by_test_id("job-status")).to_have_text("未导入", timeout=IMPORT_TIMEOUT_MS)
    errors = page.get_by_test_id("error-table").locator("tbody tr")
    expect(errors).to_have_count(1)
    cells = errors.first.locator("td")
    expect(cells.nth(0)).to_have_text(str(BAD_ROW))
    expect(cells.nth(1)).to_have_text("身份证号")
    expect(cells.nth(2)).to_contain_text("身份证号校验码错误")
    expect(page.locator('[data-count="error"]')).to_have_text("1")
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    screenshot(page, "50-import-wrong-check-digit")
    for name, *_rest in NEWCOMERS:
        _search(page, name)
        expect(page.get_by_test_id("cadre-table")).to_have_count(0)
    assert not Cadre.objects.filter(name__in=[name for name, *_rest in NEWCOMERS]).exists()

    # Corrected and uploaded again: three to create, then confirmed.
    people[BAD_ROW - 2]["身份证号"] = right_number
    right_path = tmp_path / "花名册（已更正）.xlsx"
    _fill(template_path, right_path, people)
    page.goto(reverse("imports:job_detail", args=[job.pk]))
    with page.expect_navigation():
        page.get_by_role("link", name="修改文件后重新上传").click()
    _upload(page, right_path)
    expect(page.get_by_test_id("job-status")).to_have_text("待确认导入", timeout=IMPORT_TIMEOUT_MS)
    counts = {key: page.locator(f'[data-count="{key}"]') for key in ("create", "update", "skip", "error")}
    for key, expected in {"create": "3", "update": "0", "skip": "0", "error": "0"}.items():
        expect(counts[key]).to_have_text(expected)
    expect(page.get_by_test_id("change-table").locator("tbody tr")).to_have_count(3)
    screenshot(page, "51-import-preview")
    with page.expect_navigation():
        page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("job-status")).to_have_text("已导入", timeout=IMPORT_TIMEOUT_MS)
    expect(counts["create"]).to_have_text("3")
    screenshot(page, "52-import-done")

    # In the registry, each in the branch the file named.
    for name, *_rest in NEWCOMERS:
        rows = _search(page, name)
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(BRANCH)
    screenshot(page, "53-import-cadre-in-list")

    # And in this year's report: three more members of a branch today than before.
    assert _members_figure(page, year) == members_before + 3
    screenshot(page, "54-import-annual-members")
    with page.expect_navigation():
        page.locator('tr[data-figure="members"] [data-drilldown="this"]').click()
    listed = page.get_by_test_id("cadre-table").locator("tbody tr")
    expect(listed).to_have_count(members_before + 3)
    for name, *_rest in NEWCOMERS:
        expect(listed.filter(has_text=name)).to_have_count(1)
