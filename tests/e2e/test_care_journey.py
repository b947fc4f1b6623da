"""Staff record a hospitalisation; after the daily run the due visit waits in their inbox; they
record the visit from it, and the reminder is closed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from benefits.models import Occasion, Visit
from branches.models import Branch
from reminders.models import Reminder
from tests.e2e.test_secretary_journey import log_in, path_of
from tests.factories import BranchFactory, CadreFactory, UserFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_hospitalisation_becomes_a_due_visit_that_the_visit_closes(new_context, screenshot):
    committee = BranchFactory(name="兴化市离退休干部党委", kind=Branch.Kind.COMMITTEE)
    branch = BranchFactory(name="兴化市教育局离退休干部党支部", parent=committee)
    cadre = CadreFactory(name="陈德明", branch=branch)
    staff = UserFactory(username="carer_chen", role=Role.BUREAU_STAFF, first_name="小李")
    today = timezone.localdate()

    page = new_context().new_page()
    log_in(page, staff)
    page.goto(reverse("benefits:occasion_create"))
    page.fill("#id_cadre", cadre.name)
    page.select_option("#id_kind", Occasion.Kind.HOSPITALISED)
    page.fill("#id_occurred_on", today.isoformat())
    page.fill("#id_note", "脑梗住院，人民医院神经内科")
    screenshot(page, "40-staff-record-hospitalisation")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    occasion = Occasion.objects.get()
    assert path_of(page) == reverse("benefits:occasion_detail", args=[occasion.pk])

    # The daily job (Celery beat in production, the command without Redis).
    call_command("run_reminders", "--date", today.isoformat(), stdout=StringIO())

    page.goto(reverse("reminders:inbox"))
    row = page.get_by_test_id("reminder-table").locator("tbody tr").filter(has_text=cadre.name)
    expect(row).to_have_count(1)
    link = row.get_by_role("link", name="待走访")
    screenshot(page, "41-inbox-due-visit")
    with page.expect_navigation():
        link.click()
    assert path_of(page) == reverse("benefits:occasion_detail", args=[occasion.pk])

    page.fill("#id_visited_on", today.isoformat())
    page.fill("#id_visitors", "小李、支部书记王明")
    page.fill("#id_gift", "水果、慰问信")
    with page.expect_navigation():
        page.get_by_role("button", name="登记走访慰问").click()
    visit = Visit.objects.get()
    assert visit.occasion == occasion
    assert path_of(page) == reverse("benefits:visit_detail", args=[visit.pk])

    reminder = Reminder.objects.get(visit_occasion=occasion, recipient=staff)
    assert reminder.is_done and reminder.done_by == staff
    page.goto(reverse("reminders:inbox"))
    expect(page.get_by_test_id("reminder-table")).to_have_count(0)
    page.goto(reverse("reminders:inbox") + "?status=done")
    expect(
        page.get_by_test_id("reminder-table").locator("tbody tr").filter(has_text=cadre.name)
    ).to_have_count(1)
    screenshot(page, "42-inbox-visit-done")
