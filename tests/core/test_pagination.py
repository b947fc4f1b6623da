from urllib.parse import parse_qs

import pytest
from django.test import RequestFactory

from accounts.models import User
from core.pagination import CappedPaginator, paginate


@pytest.fixture
def users(db):
    User.objects.bulk_create([User(username=f"u{n:03d}") for n in range(45)])
    return User.objects.order_by("id")


def test_it_counts_exactly_below_the_cap(users):
    paginator = CappedPaginator(users, 10, max_rows=100)
    assert paginator.count == 45
    assert not paginator.capped
    assert paginator.num_pages == 5


def test_it_stops_counting_at_the_cap(users):
    paginator = CappedPaginator(users, 10, max_rows=20)
    assert paginator.capped
    assert paginator.num_pages == 2
    assert [u.username for u in paginator.page(2)] == [f"u{n:03d}" for n in range(10, 20)]


def test_it_counts_with_a_limited_subquery(users, django_assert_num_queries):
    paginator = CappedPaginator(users, 10, max_rows=20)
    with django_assert_num_queries(1) as ctx:
        assert paginator.count == 21
    assert "LIMIT 21" in ctx.captured_queries[0]["sql"].upper()


@pytest.mark.parametrize(("page", "expected"), [("2", 2), ("999", 5), ("abc", 1), ("", 1), ("-1", 1)])
def test_it_turns_any_page_parameter_into_a_real_page(users, page, expected):
    request = RequestFactory().get("/", {"page": page, "per_page": "10", "q": "张"})
    result, query_string = paginate(request, users, default_per_page=10)
    assert result.number == expected
    assert parse_qs(query_string) == {"per_page": ["10"], "q": ["张"]}


def test_it_ignores_a_page_size_that_is_not_offered(users):
    request = RequestFactory().get("/", {"per_page": "100000"})
    result, _query = paginate(request, users)
    assert result.paginator.per_page == 20
