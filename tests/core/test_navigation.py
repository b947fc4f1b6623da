"""The side navigation offers each role its pages and marks the current one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_labels(response):
    return [entry["label"] for section in response.context["navigation"] for entry in section["entries"]]


def current(response):
    return [
        entry["label"]
        for section in response.context["navigation"]
        for entry in section["entries"]
        if entry["current"]
    ]


def test_the_secretary_gets_the_workspace_and_no_administration(secretary_a, client_as):
    response = client_as(secretary_a).get(reverse("reports:dashboard"))
    labels = nav_labels(response)
    assert "My branch" in labels or "我的支部" in labels
    assert len(labels) == len(set(labels))
    assert reverse("admin:index") not in response.content.decode()
    assert reverse("accounts:audit_log") not in response.content.decode()


def test_the_staff_user_gets_no_secretary_workspace(staff_user, client_as):
    response = client_as(staff_user).get(reverse("reports:dashboard"))
    assert reverse("branches:my_branch") not in response.content.decode()
    assert reverse("branches:commendation_list") in response.content.decode()


def test_exactly_one_entry_is_current_on_each_section_page(staff_user, branch_a, client_as):
    client = client_as(staff_user)
    pages = {
        reverse("cadres:cadre_list"): 1,
        reverse("branches:branch_detail", args=[branch_a.pk]): 1,
        reverse("branches:branch_points", args=[branch_a.pk]): 1,
        reverse("branches:activity_list"): 1,
        reverse("branches:studio_list"): 1,
    }
    for url, expected in pages.items():
        assert len(current(client.get(url))) == expected, url


def test_the_auditor_sees_the_audit_log_entry(auditor, client_as):
    response = client_as(auditor).get(reverse("reports:dashboard"))
    assert reverse("accounts:audit_log") in response.content.decode()


def test_the_team_leader_lands_on_the_volunteer_summary_with_only_volunteer_entries(db, client_as):
    from accounts.models import Role
    from tests.factories import UserFactory, VolunteerTeamFactory

    leader = UserFactory(username="leader", role=Role.TEAM_LEADER, volunteer_team=VolunteerTeamFactory())
    client = client_as(leader)
    landing = client.get(reverse("reports:dashboard"))
    assert landing.status_code == 302 and landing["Location"] == reverse("volunteers:summary")
    page = client.get(landing["Location"])
    urls = [entry["url"] for section in page.context["navigation"] for entry in section["entries"]]
    assert urls and all(url.startswith("/volunteers/") for url in urls)
    assert current(page) == ["Volunteer summary"] or len(current(page)) == 1


def test_every_navigation_entry_opens_for_the_bureau_admin(admin_user, client_as):
    client = client_as(admin_user)
    response = client.get(reverse("reports:dashboard"))
    urls = [entry["url"] for section in response.context["navigation"] for entry in section["entries"]]
    assert len(urls) >= 20
    for url in urls:
        if url.startswith("/admin/"):
            continue
        assert client.get(url).status_code == 200, url
