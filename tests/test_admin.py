"""The Django admin: every changelist loads, and admin pages follow the one scoping rule."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role, User
from branches.models import ActivityKind
from branches.services import activity_record, officer_appoint
from cadres.models import Cadre
from core.masking import mask_id_number
from tests.factories import AreaFactory, UserFactory

pytestmark = pytest.mark.django_db

CADRES = reverse("admin:cadres_cadre_changelist")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def staff_secretary(branch_a):
    """A branch secretary who was also given the admin: they must still see only their branch."""
    user = UserFactory(username="admin_secretary", role=Role.BRANCH_SECRETARY, branch=branch_a, is_staff=True)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="cadres", codename="view_cadre"))
    return user


@pytest.fixture
def registry(branch_a, branch_b, cadre_a, cadre_b):
    area = AreaFactory(name="东城街道测试社区")
    officer_appoint(branch=branch_a, cadre=cadre_a, role="secretary", term_start=dt.date(2024, 1, 1))
    activity_record(
        branch=branch_a,
        kind=ActivityKind.objects.get(code="theme_day"),
        held_on=dt.date(2026, 7, 1),
        topic="主题党日",
    )
    return {"area": area}


@pytest.mark.parametrize(
    "model",
    [
        "cadres_cadre",
        "branches_branch",
        "branches_branchofficer",
        "branches_branchmembership",
        "accounts_user",
        "branches_area",
        "branches_activitykind",
        "branches_activity",
    ],
)
def test_it_loads_every_changelist_for_a_superuser(model, registry, superuser, client_as):
    response = client_as(superuser).get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_it_lists_both_branches_cadres_for_a_superuser(registry, cadre_a, cadre_b, superuser, client_as):
    html = client_as(superuser).get(CADRES).content.decode()
    assert cadre_a.name in html
    assert cadre_b.name in html


def test_it_lists_only_the_own_branchs_cadres_for_a_staff_secretary(
    registry, cadre_a, cadre_b, staff_secretary, client_as
):
    response = client_as(staff_secretary).get(CADRES)
    assert response.status_code == 200
    html = response.content.decode()
    assert cadre_a.name in html
    assert cadre_b.name not in html
    assert {c.pk for c in response.context["cl"].result_list} == {cadre_a.pk}


def test_it_refuses_a_staff_secretary_another_branchs_cadre_page(
    cadre_a, cadre_b, staff_secretary, client_as
):
    client = client_as(staff_secretary)
    response = client.get(reverse("admin:cadres_cadre_change", args=[cadre_b.pk]))
    assert response.status_code in (302, 404)
    assert cadre_b.name not in response.content.decode()
    # The refusal comes from the scoping rule: the own branch's cadre opens.
    assert client.get(reverse("admin:cadres_cadre_change", args=[cadre_a.pk])).status_code == 200


def test_it_shows_a_staff_secretary_no_other_branch_in_the_branch_admin(
    committee, branch_a, branch_b, staff_secretary, client_as
):
    staff_secretary.user_permissions.add(
        Permission.objects.get(content_type__app_label="branches", codename="view_branch")
    )
    client = client_as(staff_secretary)
    # The tree's top level is the committee, which the secretary may not see.
    top = client.get(reverse("admin:branches_branch_changelist"))
    assert top.status_code == 200
    assert committee.pk not in {b.pk for b in top.context["cl"].result_list}
    # A search lists the whole visible tree: the own branch, not its sibling.
    found = client.get(reverse("admin:branches_branch_changelist"), {"q": "离退休干部党支部"})
    assert {b.pk for b in found.context["cl"].result_list} == {branch_a.pk}
    # Drilling into the committee shows the own branch only.
    children = client.get(reverse("admin:branches_branch_changelist") + f"children/{committee.pk}/")
    assert children.status_code == 200
    assert [node["node-id"] for node in children.json()["tree_context"]] == [str(branch_a.pk)]


def _found(client, term):
    response = client.get(CADRES, {"q": term})
    assert response.status_code == 200
    return {c.name for c in response.context["cl"].result_list}


def test_it_finds_a_cadre_by_full_id_number(cadre_a, cadre_b, superuser, client_as):
    client = client_as(superuser)
    assert _found(client, cadre_b.id_number) == {"李秀英"}
    assert _found(client, f" {cadre_a.id_number.lower()} ") == {"王建国"}


def test_it_finds_cadres_by_name_prefix_only(cadre_a, cadre_b, superuser, client_as):
    client = client_as(superuser)
    assert _found(client, "王建") == {"王建国"}
    assert _found(client, "李") == {"李秀英"}
    assert _found(client, "建国") == set()


def test_it_keeps_the_search_inside_the_secretarys_scope(cadre_a, cadre_b, staff_secretary, client_as):
    client = client_as(staff_secretary)
    assert _found(client, cadre_b.id_number) == set()
    assert _found(client, "李") == set()
    assert _found(client, "王") == {"王建国"}


def test_it_masks_id_numbers_in_the_cadre_changelist(cadre_a, cadre_b, superuser, client_as):
    html = client_as(superuser).get(CADRES).content.decode()
    for cadre in (cadre_a, cadre_b):
        assert cadre.id_number not in html
        assert mask_id_number(cadre.id_number) in html
    assert Cadre.objects.count() == 2


def test_it_hides_the_full_id_number_from_a_staff_secretary_on_the_change_page(
    cadre_a, staff_secretary, client_as
):
    response = client_as(staff_secretary).get(reverse("admin:cadres_cadre_change", args=[cadre_a.pk]))
    assert response.status_code == 200
    assert not staff_secretary.has_perm("cadres.view_full_id_number")
    shown = response.content.decode().count(cadre_a.id_number)
    assert shown == 0, "the full ID number stands on the admin change page of a secretary"


def test_it_keeps_the_role_group_in_step_when_the_admin_changes_a_role(superuser, client_as):
    user = UserFactory(username="target", role=Role.BUREAU_STAFF)
    old_group = user.groups.get()
    response = client_as(superuser).post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": "target",
            "is_active": "on",
            "groups": [old_group.pk],  # what the form shows: the user's current group
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
            "role": Role.AUDITOR,
            "branch": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.role == Role.AUDITOR
    assert list(user.groups.values_list("name", flat=True)) == ["auditor"]


def test_it_logs_each_view_of_the_full_id_number_on_the_change_page(cadre_a, superuser, client_as):
    from auditlog.models import LogEntry

    response = client_as(superuser).get(reverse("admin:cadres_cadre_change", args=[cadre_a.pk]))
    assert cadre_a.id_number in response.content.decode()
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(cadre_a.pk))
    assert entry.actor == superuser
