"""A volunteer team leader records a river patrol on a phone (one problem found and resolved on the
spot), and the volunteer summary for the month then shows the patrol and the problem resolved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from branches.models import Branch
from tests.e2e.conftest import PHONE
from tests.e2e.test_secretary_journey import log_in
from tests.factories import (
    AreaFactory,
    BranchFactory,
    CadreFactory,
    PatrolAreaFactory,
    UserFactory,
    VolunteerTeamFactory,
)
from volunteers.models import ServiceRecord
from volunteers.services import chief_appoint, membership_add

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_team_leader_records_a_river_patrol_and_the_summary_counts_it(new_context, screenshot):
    committee = BranchFactory(name="兴化市离退休干部党委", kind=Branch.Kind.COMMITTEE)
    branch = BranchFactory(name="兴化市城管局离退休干部党支部", parent=committee)
    town = AreaFactory(name="昭阳街道", kind="street")
    corps = VolunteerTeamFactory(name="兴化市金秋志愿服务总队", level="corps")
    squad = VolunteerTeamFactory(
        name="文林社区银发志愿服务小队", level="squad", parent=corps, branch=branch, area=town
    )
    chief = CadreFactory(name="王建国", branch=branch)
    today = timezone.localdate()
    membership_add(team=squad, cadre=chief, joined_on=today)
    river = PatrolAreaFactory(kind="river", name="车路河", area=town)
    post = chief_appoint(cadre=chief, patrol_area=river, appointed_on=today, team=squad)
    leader = UserFactory(username="leader_wenlin", role=Role.TEAM_LEADER, volunteer_team=squad)

    page = new_context(viewport=PHONE).new_page()
    log_in(page, leader, lands_on="volunteers:summary")
    page.goto(reverse("volunteers:record_create"))
    page.get_by_test_id("record-form").locator('input[name="subject"][value="chief_post"]').check()
    # The post is offered by its river and chief; the option's value is the post.
    expect(page.locator(f'#id_chief_post option[value="{post.pk}"]')).to_contain_text("车路河")
    page.select_option("#id_chief_post", str(post.pk))
    page.fill("#id_served_on", today.isoformat())
    page.select_option("#id_kind", "patrol")
    page.fill("#id_hours", "1.5")
    page.fill("#id_problems_found", "1")
    page.fill("#id_problems_resolved", "1")
    page.fill("#id_notes", "河面有漂浮垃圾，已当场清理")
    screenshot(page, "30-team-leader-records-patrol-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    record = ServiceRecord.objects.get()
    assert (record.chief_post, record.recorded_by, record.problems_resolved) == (post, leader, 1)
    assert page.url.endswith(reverse("volunteers:record_detail", args=[record.pk]))
    expect(page.get_by_test_id("problems-resolved")).to_have_text("1")

    page.goto(f"{reverse('volunteers:summary')}?period={today:%Y-%m}")
    expect(page.get_by_test_id("summary-patrols").locator(".stat-value")).to_have_text("1")
    expect(page.get_by_test_id("summary-problems-resolved").locator(".stat-value")).to_have_text("1")
    expect(page.get_by_test_id("summary-chiefs").locator('tr[data-key="river"]')).to_contain_text("1")
    screenshot(page, "31-volunteer-summary-phone")
