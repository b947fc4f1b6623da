"""No request a user can make ends in a 500: every URL of ours, junk in, a 4xx or a page out."""

import pytest
from django.urls import reverse

from tests.test_access import ACCESS_CASES, OWN_NAMESPACES, _patterns_with_ids, build_objects, own_objects

JUNK = {
    "name": "x" * 500,
    "id_number": "'; DROP TABLE cadres_cadre; --",
    "birth_date": "1949-02-30",
    "branch": "-1",
    "area": "abc",
    "on": "yesterday",
    "kind": "nonsense",
    "term_years": "99",
    "cadre": "0",
    "role": "pope",
    "term_start": "2025-13-01",
    "term_end": "",
    "five_elders": ["x"],
    "page": "NaN",
    "per_page": "1e9",
    "q": "\x00\u202e",
    "status": "[]",
    "age_band": "{}",
    "date_from": "31/31/2031",
    "action": "9",
    "model": "auth.nothing",
}


def _url_names_without_ids():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
                yield f"{namespace}:{entry.name}"

    return sorted(n for n in walk(get_resolver()) if n.split(":")[0] in OWN_NAMESPACES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_user", "secretary_a", "auditor"])
def test_it_answers_junk_without_a_server_error(
    role, request, cadre_a, cadre_b, branch_a, branch_b, client_as
):
    client = client_as(request.getfixturevalue(role))
    client.raise_request_exception = False
    own = own_objects(build_objects(branch_a, branch_b, cadre_a, cadre_b))
    urls = [reverse(name) for name in _url_names_without_ids() if name != "accounts:logout"]
    urls += [reverse(name, kwargs=build(own)) for name, build in ACCESS_CASES.items()]
    assert len(urls) >= len(ACCESS_CASES) + 4
    for url in urls:
        for response in (client.get(url, JUNK), client.post(url, JUNK)):
            assert response.status_code < 500, (url, response.status_code)


def test_every_url_with_an_id_is_covered_here_too():
    names = {f"{ns}:{name}" for ns, name in _patterns_with_ids() if ns in OWN_NAMESPACES}
    assert names <= set(ACCESS_CASES)
