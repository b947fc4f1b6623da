from urllib.parse import parse_qs

import pytest
from django.test import RequestFactory

from accounts.models import User
from core.pagination import CappedPaginator, paginate


@pytest.fixture
def users(db):
    User.objects.bulk_create([User(username=f"u{n:03d}") for n in range(45)])
    return User.objects.order_by("id")


def _names(page):
    return [u.username for u in page.object_list]


def test_it_counts_exactly_below_the_cap(users):
    paginator = CappedPaginator(users, 10, max_rows=100, count_cap=50)
    assert paginator.count == 45
    assert not paginator.capped
    assert paginator.num_pages == 5
    assert not paginator.page(5).has_next()


def test_it_stops_counting_at_the_cap_but_pages_on_to_max_rows(users):
    paginator = CappedPaginator(users, 10, max_rows=40, count_cap=20)
    assert paginator.capped
    assert paginator.num_pages == 4
    page = paginator.page(4)
    assert _names(page) == [f"u{n:03d}" for n in range(30, 40)]
    assert not page.has_next()  # the 41st row exists, but max_rows ends the paging


def test_it_knows_the_next_page_from_one_extra_row(users):
    paginator = CappedPaginator(users, 15, max_rows=100, count_cap=10)
    assert paginator.page(2).has_next()
    assert not paginator.page(3).has_next()
    assert _names(paginator.page(3)) == [f"u{n:03d}" for n in range(30, 45)]


def test_it_counts_with_a_limited_subquery(users, django_assert_num_queries):
    paginator = CappedPaginator(users, 10, max_rows=100, count_cap=20)
    with django_assert_num_queries(1) as ctx:
        assert paginator.count == 21
    assert "LIMIT 21" in ctx.captured_queries[0]["sql"].upper()


def test_deep_pages_load_the_same_rows_through_their_ids(db):
    User.objects.bulk_create([User(username=f"d{n:04d}") for n in range(1200)])
    queryset = User.objects.order_by("-username")
    paginator = CappedPaginator(queryset, 20, max_rows=2000, count_cap=100)
    deep = paginator.page(40)  # offset 780: past DEFERRED_JOIN_OFFSET
    assert _names(deep) == [u.username for u in queryset[780:800]]


@pytest.mark.parametrize(("page", "expected"), [("2", 2), ("999", 5), ("abc", 1), ("", 1), ("-1", 1)])
def test_it_turns_any_page_parameter_into_a_real_page(users, page, expected):
    request = RequestFactory().get("/", {"page": page, "per_page": "10", "q": "张"})
    result, query_string = paginate(request, users, default_per_page=10)
    assert result.number == expected
    assert list(result.window) == [n for n in range(expected - 2, expected + 3) if 1 <= n <= 5]
    assert parse_qs(query_string) == {"per_page": ["10"], "q": ["张"]}


def test_it_ignores_a_page_size_that_is_not_offered(users):
    request = RequestFactory().get("/", {"per_page": "100000"})
    result, _query = paginate(request, users)
    assert result.paginator.per_page == 20


def test_it_estimates_a_capped_total_on_postgresql_only(users):
    from django.db import connection

    paginator = CappedPaginator(users, 10, max_rows=100, count_cap=20)
    if connection.vendor == "postgresql":
        assert paginator.estimated_count >= 21
    else:
        assert paginator.estimated_count is None
    assert CappedPaginator(users, 10, max_rows=100, count_cap=50).estimated_count is None
