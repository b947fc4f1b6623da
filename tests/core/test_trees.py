import pytest

from branches.models import Branch
from core.trees import tree_choices
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(committee, branch_a):
    group = BranchFactory(name="第一党小组", kind="group", parent=branch_a)
    return {"committee": committee, "branch_a": branch_a, "group": group}


def test_it_lists_the_top_two_levels_indented_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        choices = tree_choices(Branch.objects.all())
    assert choices == [
        ("", "---------"),
        (tree["committee"].pk, tree["committee"].name),
        (tree["branch_a"].pk, "　" + tree["branch_a"].name),
    ]


def test_it_adds_a_selected_node_from_deeper_down(tree):
    choices = tree_choices(Branch.objects.all(), selected_pk=str(tree["group"].pk))
    assert (tree["group"].pk, "　　" + tree["group"].name) in choices


def test_it_counts_levels_from_the_top_of_the_given_subtree(tree):
    subtree = Branch.objects.filter(path__startswith=tree["branch_a"].path)
    assert [pk for pk, _label in tree_choices(subtree)[1:]] == [tree["branch_a"].pk, tree["group"].pk]


def test_it_ignores_a_selected_value_that_is_not_an_id(tree):
    assert len(tree_choices(Branch.objects.all(), selected_pk="abc")) == 3


def test_it_serves_repeated_choices_from_the_cache(tree, django_assert_num_queries):
    tree_choices(Branch.objects.all())
    with django_assert_num_queries(0):
        tree_choices(Branch.objects.all())


@pytest.mark.django_db(transaction=True)
def test_a_new_branch_shows_in_the_choices_once_committed(committee):
    before = tree_choices(Branch.objects.all())
    new = BranchFactory(name="新设党支部", parent=committee)
    after = tree_choices(Branch.objects.all())
    assert (new.pk, "　新设党支部") in after
    assert len(after) == len(before) + 1
