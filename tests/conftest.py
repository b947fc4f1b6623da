"""Shared fixtures: two sibling branches under one committee, and a user of each role."""

import pytest

from accounts.models import Role
from tests.factories import BranchFactory, CadreFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a test's rolled-back rows never commit, so
    nothing would tell the cache they are gone."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def committee(db):
    return BranchFactory(name="市委老干部局离退休干部党委", kind="committee")


@pytest.fixture
def branch_a(committee):
    return BranchFactory(name="市城管局离退休干部党支部", parent=committee)


@pytest.fixture
def branch_b(committee):
    return BranchFactory(name="市教育局离退休干部党支部", parent=committee)


@pytest.fixture
def cadre_a(branch_a):
    return CadreFactory(name="王建国", branch=branch_a)


@pytest.fixture
def cadre_b(branch_b):
    return CadreFactory(name="李秀英", sex="F", branch=branch_b)


@pytest.fixture
def secretary_a(branch_a):
    return UserFactory(username="secretary_a", role=Role.BRANCH_SECRETARY, branch=branch_a)


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", role=Role.BUREAU_STAFF)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="bureau_admin", role=Role.BUREAU_ADMIN)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=Role.AUDITOR)


@pytest.fixture
def client_as(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def demo_registry(django_db_setup, django_db_blocker):
    """`seed_demo --cadres 200 --seed 1`, run once per test module and rolled back after it.

    Seeding takes seconds; the demo tests mostly read it. Each test's own transaction nests
    inside this one as a savepoint, so what a test changes is undone before the next.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", cadres=200, seed=1, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)
