"""The volunteers admin: every changelist loads, and its rows follow volunteers.scoping."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory
from tests.volunteers.conftest import DAY
from volunteers.services import project_create, record_create
from volunteers.wish_services import wish_post

pytestmark = pytest.mark.django_db

MODELS = [
    "volunteerteam",
    "teammembership",
    "serviceproject",
    "patrolarea",
    "chiefpost",
    "servicerecord",
    "microwish",
]


@pytest.fixture
def rows(team_a, team_b, post_a, post_b, cadre_a, cadre_b, leader_a):
    project_create(name="银发护河", team=team_a)
    project_create(name="银发护河", team=team_b)
    record_create(chief_post=post_a, served_on=DAY, kind="patrol")
    record_create(chief_post=post_b, served_on=DAY, kind="patrol")
    wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=DAY)
    wish_post(beneficiary=cadre_b, wish="想要一副老花镜", posted_on=DAY)


@pytest.mark.parametrize("model", MODELS)
def test_it_loads_every_changelist_for_a_superuser(model, rows, client_as):
    root = UserFactory(username="root", role=Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)
    response = client_as(root).get(reverse(f"admin:volunteers_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", MODELS)
def test_a_staff_secretary_sees_only_the_own_rows(model, rows, branch_a, team_b, client_as):
    user = UserFactory(username="admin_secretary", role=Role.BRANCH_SECRETARY, branch=branch_a, is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="volunteers", codename=f"view_{model}")
    )
    # The team tree lists its top level (the corps, out of sight); a search lists the visible teams.
    search = {"q": "银发小队"} if model == "volunteerteam" else {}
    response = client_as(user).get(reverse(f"admin:volunteers_{model}_changelist"), search)
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed, model
    assert "教育局" not in str([str(row) for row in listed])
    assert "海沟河" not in str([str(row) for row in listed])
    assert "李秀英" not in str([str(row) for row in listed])


def test_the_user_admin_offers_the_volunteer_team(leader_a, client_as):
    root = UserFactory(username="root", role=Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)
    response = client_as(root).get(reverse("admin:accounts_user_change", args=[leader_a.pk]))
    assert "volunteer_team" in response.context["adminform"].form.fields
