"""core.pages.list_page: one page of a list, or the whole list as a spreadsheet."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accounts.models import User
from core.pages import export_query, list_page

pytestmark = pytest.mark.django_db


def _usernames(users, *, user):
    return ["username"], ([u.username] for u in users.iterator())


@pytest.fixture
def users(db):
    User.objects.bulk_create([User(username=f"u{n:02d}") for n in range(25)])
    return User.objects.order_by("username")


def _get(params):
    request = RequestFactory().get("/list/", params)
    request.user = AnonymousUser()
    return request


def test_a_format_answers_every_row_not_just_the_page(users):
    response = list_page(
        _get({"page": 2, "format": "csv"}), "unused.html", users, {}, export=_usernames, filename="u"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["username"] and len(rows) == 26
    assert response["Content-Disposition"] == 'attachment; filename="u.csv"'


def test_the_export_links_keep_the_filters_but_not_the_page_or_format():
    assert export_query(_get({"q": "王", "page": 3, "per_page": 50, "format": "xlsx"})) == "q=%E7%8E%8B"
