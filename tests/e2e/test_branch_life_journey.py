"""A secretary records a 支部委员会 meeting on a phone, with attendance and a photo, and the
bureau's compliance page then shows the branch compliant for the month."""

import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from branches.models import Activity, ActivityKind, ActivityPhoto, Branch
from branches.services import activity_record
from tests.e2e.conftest import PHONE
from tests.e2e.test_secretary_journey import log_in
from tests.factories import BranchFactory, CadreFactory, UserFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def activity_kinds(transactional_db):
    # A transactional test's database is emptied between tests, seeded rows included.
    importlib.import_module("branches.migrations.0004_seed_activity_kinds").seed(apps, None)


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_secretary_records_a_committee_meeting_and_the_branch_is_compliant(
    new_context, screenshot, activity_kinds
):
    committee = BranchFactory(name="市委老干部局离退休干部党委", kind=Branch.Kind.COMMITTEE)
    branch = BranchFactory(name="市城管局离退休干部党支部", parent=committee)
    present, on_leave = (
        CadreFactory(name="王建国", branch=branch),
        CadreFactory(name="赵淑兰", sex="F", branch=branch),
    )
    secretary = UserFactory(username="secretary_a", role=Role.BRANCH_SECRETARY, branch=branch)
    staff = UserFactory(username="bureau_staff", role=Role.BUREAU_STAFF)
    today = timezone.localdate()
    # This month's theme day is already on record; the committee meeting is what is missing.
    activity_record(
        branch=branch, kind=ActivityKind.objects.get(code="theme_day"), held_on=today, topic="主题党日"
    )

    page = new_context(viewport=PHONE).new_page()
    log_in(page, secretary)
    page.goto(reverse("branches:my_branch"))
    expect(page.get_by_test_id("duties-month")).to_contain_text("支部委员会")
    page.get_by_role("link", name="登记组织生活").first.click()
    page.wait_for_url(reverse("branches:activity_create", args=[branch.pk]))
    page.select_option("#id_kind", label="支部委员会")
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_topic", "学习贯彻全会精神")
    page.select_option(f"#id_status_{on_leave.pk}", "leave")
    page.select_option(f"#id_reason_{on_leave.pk}", "hospital")
    page.set_input_files(
        "#id_photos", files=[{"name": "会议.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    screenshot(page, "20-secretary-records-activity-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    activity = Activity.objects.get(kind__code="committee_meeting")
    assert page.url.endswith(reverse("branches:activity_detail", args=[activity.pk]))
    expect(page.get_by_test_id("attendance-rate")).to_contain_text("1 / 2")
    assert dict(activity.attendance.values_list("cadre_id", "status")) == {
        present.pk: "present",
        on_leave.pk: "leave",
    }
    assert ActivityPhoto.objects.filter(activity=activity).count() == 1
    screenshot(page, "21-activity-detail-phone")

    bureau = new_context().new_page()
    log_in(bureau, staff)
    month = f"{today:%Y-%m}"
    bureau.goto(f"{reverse('reports:compliance')}?period={month}")
    row = bureau.locator("tr", has_text=branch.name)
    expect(row).to_contain_text("达标")
    expect(row).not_to_contain_text("未达标")
    screenshot(bureau, "22-compliance-month")
