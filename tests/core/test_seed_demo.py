import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from branches.models import Area, Branch, BranchMembership, BranchOfficer
from cadres.models import Cadre
from core import demo_data, idcard

User = get_user_model()


def seed_demo(cadres=200, seed=1):
    out = io.StringIO()
    call_command("seed_demo", cadres=cadres, seed=seed, stdout=out)
    return out.getvalue()


def registry_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Area, Branch, Cadre, BranchMembership, BranchOfficer, User)
    }


@pytest.fixture
def seeded(demo_registry, db):
    return demo_registry


def test_it_changes_nothing_on_a_second_run(seeded):
    before = registry_counts()
    last_change = Cadre.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()

    output = seed_demo()

    assert registry_counts() == before
    assert Cadre.objects.order_by("-updated_at").values_list("updated_at", flat=True).first() == last_change
    assert "nothing was changed" in output
    assert "demo_admin" in output


def test_it_plans_the_same_data_for_the_same_seed():
    today = dt.date(2026, 11, 23)

    first = demo_data.build_plan(cadres=200, seed=1, today=today)
    second = demo_data.build_plan(cadres=200, seed=1, today=today)

    assert first == second
    assert [c.id_number for c in first.cadres[:20]] == [c.id_number for c in second.cadres[:20]]
    assert [c.name for c in first.cadres[:20]] == [c.name for c in second.cadres[:20]]
    assert demo_data.build_plan(cadres=200, seed=2, today=today).cadres != first.cadres


def test_it_plans_about_one_branch_per_forty_cadres():
    plan = demo_data.build_plan(cadres=2000, seed=1, today=dt.date(2026, 11, 23))

    branches = [b for b in plan.branches if b.kind in (Branch.Kind.BRANCH, Branch.Kind.TEMPORARY)]

    assert 45 <= len(branches) <= 55
    assert len({b.name for b in plan.branches}) == len(plan.branches)
    assert "市教育局离退休干部第一党支部" in {b.name for b in branches}
    assert sum(b.kind == Branch.Kind.TEMPORARY for b in branches) == 2


def test_it_gives_every_cadre_a_valid_id_number_matching_birth_date_and_sex(seeded):
    rows = list(Cadre.objects.values_list("id_number", "birth_date", "sex"))

    assert len(rows) == 200
    for id_number, birth_date, sex in rows:
        idcard.validate_id_number(id_number)
        assert idcard.birth_date_of(id_number) == birth_date
        assert idcard.sex_of(id_number) == sex


def test_it_keeps_the_registry_plausible(seeded):
    today = timezone.localdate()
    cadres = list(Cadre.objects.all())

    assert all(60 <= (today - c.birth_date).days // 365 <= 102 for c in cadres)
    assert all(c.birth_date.year < 1933 for c in cadres if c.retirement_type == Cadre.RetirementType.LIXIU)
    members = [c for c in cadres if c.party_join_date]
    assert 0.75 <= len(members) / len(cadres) <= 0.95
    assert all((c.party_join_date - c.birth_date).days >= 18 * 365 for c in members)
    assert all(c.branch_id is None for c in cadres if c.deceased_on)


def test_it_puts_each_demo_user_in_its_role_group(seeded):
    for username, role, is_staff, is_superuser in demo_data.DEMO_USERS:
        user = User.objects.get(username=username)

        assert user.role == role
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert (user.is_staff, user.is_superuser) == (is_staff, is_superuser)
        assert user.check_password(demo_data.DEMO_PASSWORD)
    assert User.objects.get(username="demo_admin").is_superuser


def test_it_gives_the_secretary_a_branch_with_members(seeded):
    secretary = User.objects.get(username="demo_secretary")

    assert secretary.role == Role.BRANCH_SECRETARY
    assert secretary.branch.kind == Branch.Kind.BRANCH
    assert secretary.branch.cadres.filter(deceased_on__isnull=True).count() >= 3


def test_it_keeps_one_current_membership_for_every_cadre_with_a_branch(seeded):
    branch_of_cadre = dict(Cadre.objects.filter(branch__isnull=False).values_list("id", "branch_id"))
    current = list(BranchMembership.objects.filter(left_on__isnull=True).values_list("cadre_id", "branch_id"))

    assert len(current) == len(branch_of_cadre)
    assert dict(current) == branch_of_cadre


def test_it_leaves_history_and_terms_to_watch(seeded):
    today = timezone.localdate()

    assert BranchMembership.objects.filter(left_on__isnull=False).exists()  # transfers and deaths
    officers = list(BranchOfficer.objects.select_related("branch"))
    assert officers
    assert all(3 <= round((o.term_end - o.term_start).days / 365.25) <= 5 for o in officers)
    assert BranchOfficer.objects.filter(role=BranchOfficer.Role.SECRETARY, term_end__gte=today).exists()
    assert Branch.objects.find_problems() == ([], [], [], [], [])
    assert Area.objects.find_problems() == ([], [], [], [], [])


def test_it_prints_the_url_and_each_login(seeded):
    secretary = User.objects.get(username="demo_secretary")

    assert demo_data.DEMO_URL in seeded
    assert demo_data.DEMO_PASSWORD in seeded
    for username, *_rest in demo_data.DEMO_USERS:
        assert username in seeded
    assert secretary.branch.name in seeded


def test_it_records_branch_life_that_the_compliance_page_can_show(seeded):
    from branches.models import Activity
    from branches.records import BranchRating, DuesPayment
    from branches.selectors import branch_compliance
    from core.periods import MONTH, period_of

    today = timezone.localdate()
    last_month = period_of(MONTH, period_of(MONTH, today).start - dt.timedelta(days=1))
    secretary = User.objects.get(username="demo_secretary")
    admin = User.objects.get(username="demo_admin")
    rows = branch_compliance(user=admin, period=last_month, root=secretary.branch)
    own = next(row for row in rows if row.branch.pk == secretary.branch_id)
    assert own.compliant, "the demo secretary's branch keeps up with its meetings"
    assert Activity.objects.filter(attendance__status="leave").exists()
    assert DuesPayment.objects.filter(branch=secretary.branch).exists()
    assert BranchRating.objects.filter(year=today.year - 1).exists()
