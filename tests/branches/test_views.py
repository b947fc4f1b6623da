import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Branch, BranchOfficer
from tests.factories import BranchFactory, CadreFactory

pytestmark = pytest.mark.django_db


def test_the_tree_shows_a_secretary_only_the_own_subtree(
    committee, branch_a, branch_b, secretary_a, client_as
):
    child = BranchFactory(name="城管局第一党小组", kind="group", parent=branch_a)
    response = client_as(secretary_a).get(reverse("branches:branch_list"))
    assert set(response.context["branches"]) == {branch_a, child}


def test_the_tree_counts_living_members(branch_a, staff_user, client_as):
    CadreFactory(branch=branch_a)
    CadreFactory(branch=branch_a, deceased_on=dt.date(2024, 1, 1))
    response = client_as(staff_user).get(reverse("branches:branch_list"))
    counts = {b.pk: b.member_count for b in response.context["branches"]}
    assert counts[branch_a.pk] == 1


def test_the_tree_searches_by_name(branch_a, branch_b, staff_user, client_as):
    response = client_as(staff_user).get(reverse("branches:branch_list"), {"q": "教育"})
    assert list(response.context["branches"]) == [branch_b]


def test_detail_lists_members_officers_and_children(branch_a, cadre_a, staff_user, client_as):
    BranchOfficer.objects.create(
        branch=branch_a,
        cadre=cadre_a,
        role="secretary",
        term_start=dt.date(2023, 1, 1),
        term_end=dt.date(2026, 1, 1),
    )
    child = BranchFactory(parent=branch_a)
    response = client_as(staff_user).get(reverse("branches:branch_detail", args=[branch_a.pk]))
    assert list(response.context["members"]) == [cadre_a]
    assert [o.cadre for o in response.context["officers"]] == [cadre_a]
    assert list(response.context["children"]) == [child]


def test_detail_runs_the_same_number_of_queries_for_20_and_100_members(branch_a, staff_user, client_as):
    for _n in range(110):
        CadreFactory(branch=branch_a)
    client = client_as(staff_user)
    url = reverse("branches:branch_detail", args=[branch_a.pk])
    counts = []
    for per_page in (20, 100):
        client.get(url, {"per_page": per_page})  # warm caches, as in service
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"per_page": per_page}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_staff_add_a_sub_organisation(branch_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("branches:branch_create_child", args=[branch_a.pk]),
        {"name": "城管局第二党小组", "kind": "group", "term_years": 3},
    )
    assert response.status_code == 302
    created = Branch.objects.get(name="城管局第二党小组")
    assert Branch.objects.get_parent(created) == branch_a


def test_a_secretary_appoints_an_officer_of_the_own_branch(branch_a, cadre_a, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("branches:officer_create", args=[branch_a.pk]),
        {"cadre": cadre_a.pk, "role": "deputy_secretary", "term_start": "2025-03-01"},
    )
    assert response.status_code == 302
    officer = BranchOfficer.objects.get(cadre=cadre_a)
    assert officer.term_end == dt.date(2028, 3, 1)


def test_an_officer_form_refuses_another_branchs_cadre(branch_a, cadre_b, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("branches:officer_create", args=[branch_a.pk]),
        {"cadre": cadre_b.pk, "role": "secretary", "term_start": "2025-03-01"},
    )
    assert response.status_code == 200
    assert "cadre" in response.context["form"].errors
    assert not BranchOfficer.objects.exists()


def test_a_term_ending_before_it_starts_is_a_form_error(branch_a, cadre_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("branches:officer_create", args=[branch_a.pk]),
        {"cadre": cadre_a.pk, "role": "secretary", "term_start": "2025-03-01", "term_end": "2024-03-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not BranchOfficer.objects.exists()


def test_a_secretary_cannot_edit_the_branch(branch_a, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("branches:branch_update", args=[branch_a.pk]),
        {"name": "改名", "kind": "branch", "term_years": 3},
    )
    assert response.status_code == 403
    branch_a.refresh_from_db()
    assert branch_a.name == "市城管局离退休干部党支部"


def test_detail_shows_ratings_and_commendations(branch_a, staff_user, client_as):
    from branches.record_services import rating_set
    from branches.records import Commendation

    rating_set(branch=branch_a, year=2025, stars=5, titles=["six_good"])
    Commendation.objects.create(
        year=2025, kind="model_branch", branch=branch_a, title="先进基层党组织", issuing_body="市委组织部"
    )
    response = client_as(staff_user).get(reverse("branches:branch_detail", args=[branch_a.pk]))
    ratings, commendations = response.context["honours"]
    assert [r.year for r in ratings] == [2025]
    assert [c.title for c in commendations] == ["先进基层党组织"]
    assert "先进基层党组织" in response.content.decode()
