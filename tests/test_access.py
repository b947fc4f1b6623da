"""Every URL that takes an object id refuses another branch's object with 404, changing nothing.

Each app's `tests/<app>/access_cases.py` names, for each such URL, how to build the foreign
object's id (CASES), which objects to build for branch a and branch b (build), and which models
must stay unchanged (SNAPSHOT_MODELS). The last test fails when a URL pattern with an id is added
without a case.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.benefits import access_cases as benefit_cases
from tests.branches import access_cases as branch_cases
from tests.branches import access_cases_records as branch_record_cases
from tests.education import access_cases as education_cases
from tests.imports import access_cases as import_cases
from tests.outreach import access_cases as outreach_cases
from tests.reminders import access_cases as reminder_cases
from tests.volunteers import access_cases as volunteer_cases

CASE_MODULES = [
    branch_cases,
    branch_record_cases,
    volunteer_cases,
    outreach_cases,
    benefit_cases,
    education_cases,
    reminder_cases,
    import_cases,
]

# Namespaces of our own apps; the Django admin has its own scoping test.
OWN_NAMESPACES = {
    "accounts",
    "core",
    "cadres",
    "branches",
    "volunteers",
    "outreach",
    "benefits",
    "education",
    "reports",
    "reminders",
    "imports",
}

ACCESS_CASES = {name: build for module in CASE_MODULES for name, build in module.CASES.items()}

# Fields posted at every URL: each names another branch's object where a form could take one.
TAMPERING_POST = {
    "name": "篡改",
    "on": "2024-01-01",
    "kind": "branch",
    "term_years": 3,
    "role": "secretary",
    "term_start": "2024-01-01",
}


def _snapshot():
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for module in CASE_MODULES
        for model in module.SNAPSHOT_MODELS
    }


def build_objects(branch_a, branch_b, cadre_a, cadre_b):
    ctx = {"branch_a": branch_a, "branch_b": branch_b, "cadre_a": cadre_a, "cadre_b": cadre_b}
    for module in CASE_MODULES:
        built = module.build(ctx)
        clash = set(built) & set(ctx)
        assert not clash, f"{module.__name__}.build returns keys another app uses: {sorted(clash)}"
        ctx.update(built)
    return ctx


def own_objects(ctx):
    """The same keys as `ctx`, but every `_b` object replaced by its branch-a twin."""
    return {key: ctx[key[:-2] + "_a"] for key in ctx if key.endswith("_b")}


@pytest.fixture
def foreign(branch_a, branch_b, cadre_a, cadre_b):
    return build_objects(branch_a, branch_b, cadre_a, cadre_b)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ACCESS_CASES))
def test_it_answers_404_for_another_branchs_object(url_name, foreign, secretary_a, client_as):
    client = client_as(secretary_a)
    url = reverse(url_name, kwargs=ACCESS_CASES[url_name](foreign))
    before = _snapshot()
    post_data = {**TAMPERING_POST, "branch": foreign["branch_a"].pk, "cadre": foreign["cadre_b"].pk}
    assert client.get(url).status_code == 404
    assert client.post(url, post_data).status_code == 404
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ACCESS_CASES))
def test_it_lets_the_secretary_reach_the_own_branchs_object(url_name, foreign, secretary_a, client_as):
    """The 404 above comes from scoping, not from a URL that refuses everyone."""
    client = client_as(secretary_a)
    url = reverse(url_name, kwargs=ACCESS_CASES[url_name](own_objects(foreign)))
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
    assert not missing, f"URLs without an access case in tests/<app>/access_cases.py: {sorted(missing)}"
    stale = set(ACCESS_CASES) - with_ids
    assert not stale, f"access cases for URLs that no longer exist: {sorted(stale)}"
