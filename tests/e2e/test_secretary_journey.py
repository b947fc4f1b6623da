"""A branch secretary's day in a real browser: log in, see the dashboard in Chinese, open the
own branch from the navigation, and find no trace of a sibling branch.

Saves full-page screenshots to tests/e2e/screenshots/ (git-ignored; CI keeps them as artifacts).
Run alone with `.venv/bin/pytest tests/e2e -v`.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from accounts.models import Role, User
from branches.models import Branch
from cadres.models import Cadre
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import BranchFactory, CadreFactory, UserFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# UserFactory's password.
PASSWORD = "correct-horse-battery"
# A CJK Unified Ideograph: proof that the page shows Chinese, whatever the catalog holds.
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Org:
    branch_a: Branch
    branch_b: Branch
    members_a: list[Cadre]
    members_b: list[Cadre]
    secretary: User
    staff: User


@pytest.fixture
def org(transactional_db):
    """A committee with branches A and B, three cadres in A, two in B, A's secretary, a bureau user."""
    committee = BranchFactory(name="市委老干部局离退休干部党委", kind=Branch.Kind.COMMITTEE)
    branch_a = BranchFactory(name="市城管局离退休干部党支部", parent=committee)
    branch_b = BranchFactory(name="市教育局离退休干部党支部", parent=committee)
    members_a = [
        CadreFactory(name="王建国", branch=branch_a),
        CadreFactory(name="赵淑兰", sex="F", branch=branch_a),
        CadreFactory(name="孙德明", branch=branch_a),
    ]
    members_b = [
        CadreFactory(name="李秀英", sex="F", branch=branch_b),
        CadreFactory(name="周国华", branch=branch_b),
    ]
    secretary = UserFactory(username="secretary_a", role=Role.BRANCH_SECRETARY, branch=branch_a)
    staff = UserFactory(username="bureau_staff", role=Role.BUREAU_STAFF)
    return Org(branch_a, branch_b, members_a, members_b, secretary, staff)


def path_of(page) -> str:
    return urlparse(page.url).path


def log_in(page, user: User, screenshot=None, lands_on: str = "reports:dashboard") -> None:
    """Log in through the form and land on the user's home page (`lands_on`)."""
    response = page.goto(reverse("accounts:login"))
    assert response is not None and response.status == 200
    form = page.locator(f'form[action="{reverse("accounts:login")}"]')
    form.locator('input[name="username"]').fill(user.username)
    form.locator('input[name="password"]').fill(PASSWORD)
    if screenshot:
        screenshot(page, "01-login")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    # On a refused login the form comes back: show what it said.
    assert path_of(page) == reverse(lands_on), page.locator("main").inner_text()


def test_secretary_sees_own_branch_and_nothing_of_a_sibling(new_context, screenshot, org):
    page = new_context().new_page()

    # Log in through the form; the dashboard comes in Chinese.
    log_in(page, org.secretary, screenshot=screenshot)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    main_text = page.locator("main").inner_text()
    assert CJK.search(main_text), f"No Chinese text on the dashboard: {main_text!r}"
    assert org.branch_a.name in main_text
    screenshot(page, "02-secretary-dashboard")

    # Branch list through the side navigation: A is there, its sibling B is not.
    page.locator(f'#portal-nav a[href="{reverse("branches:branch_list")}"]').click()
    page.wait_for_url(reverse("branches:branch_list"))
    tree = page.get_by_test_id("branch-tree")
    expect(tree.get_by_role("link", name=org.branch_a.name, exact=True)).to_be_visible()
    expect(tree).not_to_contain_text(org.branch_b.name)
    screenshot(page, "03-secretary-branch-list")

    # Own branch page: its members, nobody of B.
    tree.get_by_role("link", name=org.branch_a.name, exact=True).click()
    page.wait_for_url(reverse("branches:branch_detail", args=[org.branch_a.pk]))
    expect(page.locator("h1")).to_contain_text(org.branch_a.name)
    members = page.get_by_test_id("member-table")
    for cadre in org.members_a:
        expect(members.get_by_role("link", name=cadre.name, exact=True)).to_be_visible()
    for cadre in org.members_b:
        expect(members).not_to_contain_text(cadre.name)
    screenshot(page, "04-secretary-branch-detail")
    # The same page on a phone, where secretaries mostly read it.
    page.set_viewport_size(PHONE)
    expect(members.get_by_role("link", name=org.members_a[0].name, exact=True)).to_be_visible()
    screenshot(page, "05-secretary-branch-detail-phone")
    page.set_viewport_size(DESKTOP)

    # Branch B by its URL: 404, and nothing of it on the page.
    response = page.goto(reverse("branches:branch_detail", args=[org.branch_b.pk]))
    assert response is not None and response.status == 404
    assert org.branch_b.name not in page.content()

    # The cadre registry lists A's members only; B's names are nowhere in the HTML.
    response = page.goto(reverse("cadres:cadre_list"))
    assert response is not None and response.status == 200
    table = page.get_by_test_id("cadre-table")
    for cadre in org.members_a:
        expect(table.get_by_role("link", name=cadre.name, exact=True)).to_be_visible()
    html = page.content()
    for cadre in org.members_b:
        assert cadre.name not in html, f"{cadre.name} of branch B shows in the secretary's cadre list"
    assert org.branch_b.name not in html
    screenshot(page, "06-secretary-cadre-list")

    # A member's own page, from the list.
    cadre = org.members_a[0]
    table.get_by_role("link", name=cadre.name, exact=True).click()
    page.wait_for_url(reverse("cadres:cadre_detail", args=[cadre.pk]))
    expect(page.locator("h1")).to_contain_text(cadre.name)
    screenshot(page, "07-secretary-cadre-detail")

    # Bureau staff, in a context of their own, see the whole city: B's members included.
    staff_page = new_context().new_page()
    log_in(staff_page, org.staff)
    expect(staff_page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(staff_page, "08-staff-dashboard")
    staff_page.goto(reverse("cadres:cadre_list"))
    staff_table = staff_page.get_by_test_id("cadre-table")
    for cadre in org.members_a + org.members_b:
        expect(staff_table.get_by_role("link", name=cadre.name, exact=True)).to_be_visible()
    screenshot(staff_page, "09-staff-cadre-list")
