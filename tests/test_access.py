"""Every URL that takes an object id refuses another branch's object with 404, changing nothing.

ACCESS_CASES names, for each such URL, how to build the foreign object's id. The last test
fails when a URL pattern with an id is added without a case here.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from branches.models import Activity, ActivityKind, Attendance, Branch, BranchMembership, BranchOfficer
from branches.records import DuesPayment
from branches.services import activity_record
from cadres.models import Cadre

# Namespaces of our own apps; the Django admin has its own scoping test.
OWN_NAMESPACES = {"accounts", "core", "cadres", "branches", "volunteers", "outreach", "benefits", "reports"}

ACCESS_CASES = {
    "cadres:cadre_detail": lambda ctx: {"pk": ctx["cadre_b"].pk},
    "cadres:cadre_update": lambda ctx: {"pk": ctx["cadre_b"].pk},
    "cadres:cadre_transfer": lambda ctx: {"pk": ctx["cadre_b"].pk},
    "branches:branch_detail": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:branch_update": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:branch_create_child": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:officer_create": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:activity_create": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:activity_detail": lambda ctx: {"pk": ctx["activity_b"].pk},
    "branches:activity_add_photos": lambda ctx: {"pk": ctx["activity_b"].pk},
    "branches:activity_delete": lambda ctx: {"pk": ctx["activity_b"].pk},
    "branches:dues_ledger": lambda ctx: {"pk": ctx["branch_b"].pk},
}


def _snapshot():
    return {
        "activities": list(Activity.objects.order_by("pk").values()),
        "dues": list(DuesPayment.objects.order_by("pk").values()),
        "attendance": list(Attendance.objects.order_by("pk").values()),
        "cadres": list(Cadre.objects.order_by("pk").values()),
        "branches": list(Branch.objects.order_by("pk").values()),
        "officers": list(BranchOfficer.objects.order_by("pk").values()),
        "memberships": list(BranchMembership.objects.order_by("pk").values()),
    }


def _activity(branch):
    kind = ActivityKind.objects.get(code="theme_day")
    return activity_record(branch=branch, kind=kind, held_on=dt.date(2026, 7, 1), topic="主题党日")


@pytest.fixture
def foreign(branch_a, branch_b, cadre_a, cadre_b):
    return {
        "branch_a": branch_a,
        "branch_b": branch_b,
        "cadre_a": cadre_a,
        "cadre_b": cadre_b,
        "activity_a": _activity(branch_a),
        "activity_b": _activity(branch_b),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ACCESS_CASES))
def test_it_answers_404_for_another_branchs_object(url_name, foreign, secretary_a, client_as):
    client = client_as(secretary_a)
    url = reverse(url_name, kwargs=ACCESS_CASES[url_name](foreign))
    before = _snapshot()
    post_data = {
        "name": "篡改",
        "branch": foreign["branch_a"].pk,
        "on": "2024-01-01",
        "kind": "branch",
        "term_years": 3,
        "cadre": foreign["cadre_b"].pk,
        "role": "secretary",
        "term_start": "2024-01-01",
    }
    assert client.get(url).status_code == 404
    assert client.post(url, post_data).status_code == 404
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ACCESS_CASES))
def test_it_lets_the_secretary_reach_the_own_branchs_object(url_name, foreign, secretary_a, client_as):
    """The 404 above comes from scoping, not from a URL that refuses everyone."""
    client = client_as(secretary_a)
    own = {
        "cadre_b": foreign["cadre_a"],
        "branch_b": foreign["branch_a"],
        "activity_b": foreign["activity_a"],
    }
    url = reverse(url_name, kwargs=ACCESS_CASES[url_name](own))
    assert client.get(url).status_code in (200, 302, 403, 405)  # 302: a POST-only URL sends a GET back


def _patterns_with_ids(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _patterns_with_ids(entry, inner)
        elif isinstance(entry, URLPattern) and entry.pattern.converters and entry.name:
            yield namespace, entry.name


def test_it_has_an_access_case_for_every_url_that_takes_an_id():
    with_ids = {f"{ns}:{name}" for ns, name in _patterns_with_ids() if ns in OWN_NAMESPACES}
    assert with_ids, "no URL with an id was found: the walk over the URL patterns is broken"
    missing = with_ids - set(ACCESS_CASES)
    assert not missing, f"URLs without an access test in tests/test_access.py: {sorted(missing)}"
    stale = set(ACCESS_CASES) - with_ids
    assert not stale, f"access cases for URLs that no longer exist: {sorted(stale)}"
