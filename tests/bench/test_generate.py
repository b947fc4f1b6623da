import pytest
from django.db import connection
from django.db.models import Count, F

from bench.generate import generate
from branches.models import Area, Branch, BranchMembership, BranchOfficer
from branches.services import branch_create
from cadres.models import Cadre
from core import idcard

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="bench/generate.py writes with PostgreSQL's COPY; CI runs it on PostgreSQL, SQLite covers the rest",
    ),
    pytest.mark.django_db,
]


def run_generator(cadres=2000, seed=1):
    with connection.cursor() as cursor:
        return generate(cursor, cadres=cadres, seed=seed, log=lambda line: None)


@pytest.fixture
def generated(db):
    return run_generator()


def test_it_writes_the_counts_it_reports(generated):
    assert Cadre.objects.count() == generated["cadres"] == 2000
    assert Branch.objects.count() == generated["branches"]
    assert Area.objects.count() == generated["areas"]
    assert BranchMembership.objects.count() == generated["memberships"]
    assert BranchOfficer.objects.count() == generated["officers"]
    # About one 党支部 per 200 cadres, under district committees.
    assert Branch.objects.filter(kind__in=[Branch.Kind.BRANCH, Branch.Kind.TEMPORARY]).count() == 10
    assert Branch.objects.filter(kind=Branch.Kind.COMMITTEE).count() >= 3


def test_it_keeps_each_cadres_branch_equal_to_the_current_membership(generated):
    current = BranchMembership.objects.filter(left_on__isnull=True)

    assert current.count() == Cadre.objects.filter(branch__isnull=False).count()
    assert not current.exclude(branch_id=F("cadre__branch_id")).exists()
    assert not current.values("cadre").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not Cadre.objects.filter(deceased_on__isnull=False, branch__isnull=False).exists()
    assert not BranchOfficer.objects.exclude(cadre__branch_id=F("branch_id")).exists()


def test_it_builds_trees_treebeard_accepts(generated):
    assert Branch.objects.find_problems() == ([], [], [], [], [])
    assert Area.objects.find_problems() == ([], [], [], [], [])
    committee = Branch.objects.filter(kind=Branch.Kind.COMMITTEE).order_by("path").first()
    by_path = Cadre.objects.filter(branch__path__startswith=committee.path).count()
    assert by_path == Cadre.objects.filter(branch__in=Branch.objects.get_descendants(committee)).count() > 0

    # The services go on working on the tree: a sorted insert moves siblings without breaking it.
    general = Branch.objects.filter(kind=Branch.Kind.GENERAL_BRANCH).order_by("path").first()
    branch_create(name="测试离退休干部党支部", kind=Branch.Kind.BRANCH, parent=general)
    assert Branch.objects.find_problems() == ([], [], [], [], [])


def test_it_writes_valid_unique_id_numbers_matching_birth_date_and_sex(generated):
    rows = list(Cadre.objects.values_list("id_number", "birth_date", "sex"))

    assert len({id_number for id_number, _born, _sex in rows}) == len(rows)
    for id_number, birth_date, sex in rows:
        idcard.validate_id_number(id_number)
        assert idcard.birth_date_of(id_number) == birth_date
        assert idcard.sex_of(id_number) == sex


def test_it_writes_the_same_data_for_the_same_seed(generated):
    first = list(Cadre.objects.order_by("id").values_list("name", "id_number", "branch__path"))

    run_generator()

    assert list(Cadre.objects.order_by("id").values_list("name", "id_number", "branch__path")) == first
    assert Cadre.objects.order_by("id").first().id == 1  # the wipe restarts the ids
