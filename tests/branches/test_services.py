import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from branches.models import Branch, BranchMembership
from branches.services import branch_create, membership_end, membership_transfer, officer_appoint
from tests.factories import BranchFactory, CadreFactory

pytestmark = pytest.mark.django_db


def test_it_transfers_a_member_and_keeps_the_history(branch_a, branch_b):
    cadre = CadreFactory(branch=branch_a, joined_on=dt.date(2019, 5, 1))
    membership_transfer(cadre=cadre, branch=branch_b, on=dt.date(2024, 7, 1))
    cadre.refresh_from_db()
    assert cadre.branch == branch_b
    history = list(
        BranchMembership.objects.filter(cadre=cadre)
        .order_by("joined_on")
        .values_list("branch_id", "joined_on", "left_on")
    )
    assert history == [
        (branch_a.pk, dt.date(2019, 5, 1), dt.date(2024, 7, 1)),
        (branch_b.pk, dt.date(2024, 7, 1), None),
    ]


def test_it_refuses_a_transfer_dated_before_joining(branch_a, branch_b):
    cadre = CadreFactory(branch=branch_a, joined_on=dt.date(2019, 5, 1))
    with pytest.raises(ValidationError):
        membership_transfer(cadre=cadre, branch=branch_b, on=dt.date(2019, 4, 30))
    cadre.refresh_from_db()
    assert cadre.branch == branch_a
    assert BranchMembership.objects.filter(cadre=cadre, left_on__isnull=True).count() == 1


def test_it_refuses_a_transfer_into_the_same_or_a_dissolved_branch(branch_a, committee):
    cadre = CadreFactory(branch=branch_a)
    with pytest.raises(ValidationError):
        membership_transfer(cadre=cadre, branch=branch_a, on=dt.date(2024, 1, 1))
    closed = BranchFactory(parent=committee, founded_on=dt.date(2000, 1, 1), dissolved_on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        membership_transfer(cadre=cadre, branch=closed, on=dt.date(2024, 1, 1))


def test_the_database_allows_only_one_current_membership(branch_a, branch_b):
    cadre = CadreFactory(branch=branch_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        BranchMembership.objects.create(cadre=cadre, branch=branch_b, joined_on=dt.date(2024, 1, 1))


def test_it_ends_a_membership(branch_a):
    cadre = CadreFactory(branch=branch_a, joined_on=dt.date(2019, 5, 1))
    membership_end(cadre=cadre, on=dt.date(2025, 2, 3))
    cadre.refresh_from_db()
    assert cadre.branch is None
    assert BranchMembership.objects.get(cadre=cadre).left_on == dt.date(2025, 2, 3)


def test_it_appoints_an_officer_for_one_term_of_the_branch(committee):
    branch = BranchFactory(parent=committee, term_years=5)
    cadre = CadreFactory(branch=branch)
    officer = officer_appoint(branch=branch, cadre=cadre, role="secretary", term_start=dt.date(2024, 2, 29))
    assert officer.term_end == dt.date(2029, 2, 28)


def test_it_refuses_an_officer_from_another_branch(branch_a, branch_b):
    outsider = CadreFactory(branch=branch_b)
    with pytest.raises(ValidationError):
        officer_appoint(branch=branch_a, cadre=outsider, role="secretary", term_start=dt.date(2024, 1, 1))


def test_it_refuses_a_term_outside_3_to_5_years(committee):
    with pytest.raises(ValidationError):
        branch_create(name="试验支部", kind=Branch.Kind.BRANCH, parent=committee, term_years=6)


def test_a_subtree_is_one_prefix_query(committee, branch_a, branch_b, django_assert_num_queries):
    child = BranchFactory(parent=branch_a)
    grandchild = BranchFactory(parent=child)
    with django_assert_num_queries(1):
        subtree = set(Branch.objects.filter(path__startswith=branch_a.path))
    assert subtree == {branch_a, child, grandchild}
