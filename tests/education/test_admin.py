"""The senior university in the Django admin: every changelist loads, and follows education.scoping."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["seniorschool", "course", "enrolment"]


@pytest.mark.parametrize("model", MODELS)
def test_it_loads_every_changelist_for_a_superuser(model, enrolled, client_as):
    root = UserFactory(username="root", role=Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)
    response = client_as(root).get(reverse(f"admin:education_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 2


def test_a_secretary_given_the_admin_sees_only_what_the_own_members_attend(enrolled, branch_a, client_as):
    user = UserFactory(username="admin_secretary", role=Role.BRANCH_SECRETARY, branch=branch_a, is_staff=True)
    client = client_as(user)
    listed = {}
    for model in MODELS:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="education", codename=f"view_{model}")
        )
        response = client.get(reverse(f"admin:education_{model}_changelist"))
        assert response.status_code == 200
        listed[model] = set(response.context["cl"].result_list)
    assert listed["enrolment"] == {enrolled["a"]}
    assert listed["course"] == {enrolled["a"].course}
    assert listed["seniorschool"] == {enrolled["a"].course.school}
