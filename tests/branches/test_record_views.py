"""The staff pages of ratings, commendations, alliances, studios and points."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import ActivityKind, Branch
from branches.record_services import alliance_create, commendation_create, rating_set, studio_create
from branches.records import BranchAlliance, BranchRating, Commendation, PointRule, Studio
from branches.services import activity_record
from tests.factories import AreaFactory, BranchFactory, CadreFactory

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year


def _same_queries(client, url, make_rows, *, params=None):
    """The number of queries of `url` with 20 rows a page and with 100: they must be equal."""
    make_rows()
    counts = []
    for per_page in (20, 100):
        client.get(url, {"per_page": per_page, **(params or {})})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"per_page": per_page, **(params or {})}).status_code == 200
        counts.append(len(ctx))
    return counts


# Ratings


def test_staff_set_a_years_rating_and_see_the_history(branch_a, staff_user, client_as):
    rating_set(branch=branch_a, year=YEAR - 1, stars=3, titles=[])
    client = client_as(staff_user)
    url = reverse("branches:rating_set", args=[branch_a.pk])
    response = client.post(url, {"year": YEAR, "stars": 5, "titles": ["six_good", "model"], "note": "优秀"})
    assert response.status_code == 302
    rating = BranchRating.objects.get(branch=branch_a, year=YEAR)
    assert (rating.stars, rating.titles, rating.note) == (5, ["six_good", "model"], "优秀")
    response = client.get(url)
    assert [r.year for r in response.context["ratings"]] == [YEAR, YEAR - 1]


def test_the_rating_form_opens_with_the_chosen_years_rating(branch_a, staff_user, client_as):
    rating_set(branch=branch_a, year=YEAR - 1, stars=2, titles=["model"], note="备注")
    response = client_as(staff_user).get(
        reverse("branches:rating_set", args=[branch_a.pk]), {"year": YEAR - 1}
    )
    assert response.context["form"].initial == {
        "year": YEAR - 1,
        "stars": 2,
        "titles": ["model"],
        "note": "备注",
    }


@pytest.mark.parametrize(
    "data",
    [
        {"year": YEAR, "stars": 6},
        {"year": YEAR, "stars": 0},
        {"year": YEAR, "stars": 3, "titles": ["best"]},
        {"year": 1900, "stars": 3},
        {"year": YEAR + 5, "stars": 3},
    ],
)
def test_a_bad_rating_is_a_form_error(data, branch_a, staff_user, client_as):
    response = client_as(staff_user).post(reverse("branches:rating_set", args=[branch_a.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not BranchRating.objects.exists()


def test_a_secretary_may_not_set_ratings(branch_a, secretary_a, client_as):
    client = client_as(secretary_a)
    url = reverse("branches:rating_set", args=[branch_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"year": YEAR, "stars": 5}).status_code == 403
    assert not BranchRating.objects.exists()


# Commendations


def test_staff_record_a_commendation_of_a_member(cadre_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("branches:commendation_create"),
        {"year": 2025, "kind": "excellent_member", "title": "优秀共产党员", "cadre": cadre_a.pk},
    )
    assert response.status_code == 302
    assert Commendation.objects.get().cadre == cadre_a


def test_a_commendation_without_its_subject_is_a_form_error_beside_the_field(staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("branches:commendation_create"), {"year": 2025, "kind": "model_branch", "title": "示范党支部"}
    )
    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert not Commendation.objects.exists()


def test_a_commendation_naming_an_id_outside_the_scope_is_refused(
    branch_a, branch_b, cadre_b, secretary_a, client_as
):
    # Give the secretary the right to record, so only the scope stands in the way.
    secretary_a.user_permissions.add(Permission.objects.get(codename="add_commendation"))
    client = client_as(secretary_a)
    url = reverse("branches:commendation_create")
    response = client.post(
        url, {"year": 2025, "kind": "model_branch", "title": "示范", "branch": branch_b.pk}
    )
    assert "branch" in response.context["form"].errors
    response = client.post(
        url, {"year": 2025, "kind": "excellent_member", "title": "优秀", "cadre": cadre_b.pk}
    )
    assert "cadre" in response.context["form"].errors
    assert not Commendation.objects.exists()
    choices = {pk for pk, _label in response.context["form"].fields["branch"].widget.choices if pk}
    assert branch_a.pk in choices
    assert branch_b.pk not in choices


def test_a_secretary_may_not_record_or_delete_commendations(branch_a, secretary_a, client_as):
    commendation = commendation_create(year=2025, kind="model_branch", title="示范", branch=branch_a)
    client = client_as(secretary_a)
    assert client.get(reverse("branches:commendation_create")).status_code == 403
    response = client.post(reverse("branches:commendation_delete", args=[commendation.pk]))
    assert response.status_code == 403
    assert Commendation.objects.filter(pk=commendation.pk).exists()


def test_a_secretary_lists_only_the_own_branchs_commendations(
    branch_a, branch_b, cadre_a, cadre_b, secretary_a, client_as
):
    mine = commendation_create(year=2025, kind="model_branch", title="示范", branch=branch_a)
    member = commendation_create(year=2024, kind="excellent_member", title="优秀", cadre=cadre_a)
    commendation_create(year=2025, kind="model_branch", title="别处", branch=branch_b)
    commendation_create(year=2025, kind="excellent_member", title="别处的人", cadre=cadre_b)
    response = client_as(secretary_a).get(reverse("branches:commendation_list"))
    assert list(response.context["commendations"]) == [mine, member]
    assert "别处" not in response.content.decode()


def test_the_commendation_list_filters_by_year_kind_and_subtree(
    branch_a, branch_b, cadre_a, staff_user, client_as
):
    group = BranchFactory(kind="group", parent=branch_a)
    below = CadreFactory(branch=group)
    a_2025 = commendation_create(year=2025, kind="model_branch", title="a", branch=branch_a)
    below_2025 = commendation_create(year=2025, kind="excellent_member", title="b", cadre=below)
    a_2024 = commendation_create(year=2024, kind="excellent_member", title="c", cadre=cadre_a)
    commendation_create(year=2025, kind="model_branch", title="d", branch=branch_b)
    client = client_as(staff_user)
    url = reverse("branches:commendation_list")

    def listed(**params):
        return set(client.get(url, params).context["commendations"])

    assert listed(branch=branch_a.pk) == {a_2025, below_2025, a_2024}
    assert listed(branch=branch_a.pk, year=2025) == {a_2025, below_2025}
    assert listed(branch=branch_a.pk, kind="excellent_member") == {below_2025, a_2024}
    assert len(listed(year="abc", kind="nonsense")) == 4  # bad filters are ignored


def test_the_commendation_list_runs_the_same_queries_for_20_and_100_rows(branch_a, staff_user, client_as):
    def rows():
        for n in range(60):
            cadre = CadreFactory(branch=branch_a)
            commendation_create(year=2000 + n % 20, kind="excellent_member", title=f"优秀{n}", cadre=cadre)
            commendation_create(year=2000 + n % 20, kind="model_branch", title=f"示范{n}", branch=branch_a)

    counts = _same_queries(client_as(staff_user), reverse("branches:commendation_list"), rows)
    assert counts[0] == counts[1]


def test_staff_delete_a_commendation_after_confirming(branch_a, staff_user, client_as):
    commendation = commendation_create(year=2025, kind="model_branch", title="示范", branch=branch_a)
    client = client_as(staff_user)
    url = reverse("branches:commendation_delete", args=[commendation.pk])
    assert client.get(url).status_code == 200
    assert Commendation.objects.exists()
    assert client.post(url).status_code == 302
    assert not Commendation.objects.exists()


# Alliances


def test_staff_create_an_alliance(branch_a, branch_b, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("branches:alliance_create"),
        {"name": "联支强基", "branches": [branch_a.pk, branch_b.pk], "founded_on": "2025-06-01"},
    )
    assert response.status_code == 302
    assert set(BranchAlliance.objects.get().branches.all()) == {branch_a, branch_b}


def test_an_alliance_of_one_branch_is_a_form_error(branch_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("branches:alliance_create"),
        {"name": "联支强基", "branches": [branch_a.pk], "founded_on": "2025-06-01"},
    )
    assert "branches" in response.context["form"].errors
    assert not BranchAlliance.objects.exists()


def test_an_alliance_naming_a_branch_outside_the_scope_is_refused(branch_a, branch_b, secretary_a, client_as):
    secretary_a.user_permissions.add(Permission.objects.get(codename="add_branchalliance"))
    group = BranchFactory(kind="group", parent=branch_a)
    response = client_as(secretary_a).post(
        reverse("branches:alliance_create"),
        {"name": "联支强基", "branches": [group.pk, branch_b.pk], "founded_on": "2025-06-01"},
    )
    assert "branches" in response.context["form"].errors
    assert not BranchAlliance.objects.exists()


def test_a_secretary_lists_the_alliances_of_the_own_branch_only_and_may_not_change_them(
    branch_a, branch_b, secretary_a, client_as
):
    group_b = BranchFactory(kind="group", parent=branch_b)
    ours = alliance_create(name="我们的", branches=[branch_a, branch_b], founded_on=dt.date(2025, 1, 1))
    alliance_create(name="别处", branches=[branch_b, group_b], founded_on=dt.date(2025, 1, 1))
    client = client_as(secretary_a)
    response = client.get(reverse("branches:alliance_list"))
    assert list(response.context["alliances"]) == [ours]
    # Both of its branches are shown, the other one too: that is what an alliance is.
    assert branch_b.name in response.content.decode()
    assert client.get(reverse("branches:alliance_create")).status_code == 403
    assert client.post(reverse("branches:alliance_delete", args=[ours.pk])).status_code == 403
    assert BranchAlliance.objects.count() == 2


def test_the_alliance_list_runs_the_same_queries_for_20_and_100_rows(committee, staff_user, client_as):
    def rows():
        branches = [BranchFactory(parent=committee) for _ in range(4)]
        for n in range(120):
            alliance_create(
                name=f"联盟{n}", branches=branches[n % 3 : n % 3 + 2], founded_on=dt.date(2025, 1, 1)
            )

    counts = _same_queries(client_as(staff_user), reverse("branches:alliance_list"), rows)
    assert counts[0] == counts[1]


def test_staff_delete_an_alliance_after_confirming(branch_a, branch_b, staff_user, client_as):
    alliance = alliance_create(name="联盟", branches=[branch_a, branch_b], founded_on=dt.date(2025, 1, 1))
    client = client_as(staff_user)
    url = reverse("branches:alliance_delete", args=[alliance.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not BranchAlliance.objects.exists()
    assert {branch_a, branch_b} <= set(Branch.objects.all())


# Studios


def test_staff_register_and_edit_a_studio(cadre_a, staff_user, client_as):
    area = AreaFactory(name="天平社区")
    client = client_as(staff_user)
    response = client.post(
        reverse("branches:studio_create"),
        {"name": "老党员工作室", "area": area.pk, "community": "天平", "run_by": cadre_a.pk},
    )
    assert response.status_code == 302
    studio = Studio.objects.get()
    assert (studio.area, studio.run_by) == (area, cadre_a)
    response = client.post(
        reverse("branches:studio_update", args=[studio.pk]),
        {"name": "银龄红管家工作室", "area": area.pk, "founded_on": "2024-07-01"},
    )
    assert response.status_code == 302
    studio.refresh_from_db()
    assert (studio.name, studio.run_by, studio.founded_on) == ("银龄红管家工作室", None, dt.date(2024, 7, 1))


def test_a_studio_without_a_name_is_a_form_error_and_nothing_changes(cadre_a, staff_user, client_as):
    studio = studio_create(name="工作室", run_by=cadre_a)
    response = client_as(staff_user).post(reverse("branches:studio_update", args=[studio.pk]), {"name": ""})
    assert "name" in response.context["form"].errors
    studio.refresh_from_db()
    assert (studio.name, studio.run_by) == ("工作室", cadre_a)


def test_a_secretary_sees_the_own_studios_and_may_not_change_them(cadre_a, cadre_b, secretary_a, client_as):
    mine = studio_create(name="甲工作室", run_by=cadre_a)
    theirs = studio_create(name="乙工作室", run_by=cadre_b)
    client = client_as(secretary_a)
    response = client.get(reverse("branches:studio_list"))
    assert list(response.context["studios"]) == [mine]
    assert client.get(reverse("branches:studio_create")).status_code == 403
    assert client.post(reverse("branches:studio_update", args=[mine.pk]), {"name": "改"}).status_code == 403
    assert client.post(reverse("branches:studio_update", args=[theirs.pk]), {"name": "改"}).status_code == 404
    assert set(Studio.objects.values_list("name", flat=True)) == {"甲工作室", "乙工作室"}


def test_a_studio_run_by_someone_outside_the_scope_is_refused(cadre_a, cadre_b, secretary_a, client_as):
    secretary_a.user_permissions.add(*Permission.objects.filter(codename__in=["add_studio", "change_studio"]))
    mine = studio_create(name="甲工作室", run_by=cadre_a)
    client = client_as(secretary_a)
    response = client.post(reverse("branches:studio_create"), {"name": "工作室", "run_by": cadre_b.pk})
    assert "run_by" in response.context["form"].errors
    response = client.post(
        reverse("branches:studio_update", args=[mine.pk]), {"name": "甲", "run_by": cadre_b.pk}
    )
    assert "run_by" in response.context["form"].errors
    mine.refresh_from_db()
    assert (mine.name, mine.run_by) == ("甲工作室", cadre_a)
    assert Studio.objects.count() == 1


def test_the_studio_list_filters_by_area_and_name(staff_user, client_as):
    street = AreaFactory(name="天平街道", kind="street")
    community = AreaFactory(name="天平社区", parent=street)
    elsewhere = AreaFactory(name="湖南社区")
    inside = studio_create(name="老党员工作室", area=community)
    named = studio_create(name="银龄红管家工作室", area=community)
    studio_create(name="老党员工作室", area=elsewhere)
    client = client_as(staff_user)
    url = reverse("branches:studio_list")
    assert set(client.get(url, {"area": street.pk}).context["studios"]) == {inside, named}
    assert list(client.get(url, {"area": street.pk, "q": "银龄"}).context["studios"]) == [named]
    assert len(client.get(url, {"area": "abc", "q": "x" * 100}).context["studios"]) == 3


def test_the_studio_list_runs_the_same_queries_for_20_and_100_rows(branch_a, staff_user, client_as):
    def rows():
        area = AreaFactory()
        for n in range(120):
            studio_create(name=f"工作室{n:03}", area=area, run_by=CadreFactory(branch=branch_a))

    counts = _same_queries(client_as(staff_user), reverse("branches:studio_list"), rows)
    assert counts[0] == counts[1]


# Points


def _hold(branch, day, attendance):
    return activity_record(
        branch=branch,
        kind=ActivityKind.objects.get(code="theme_day"),
        held_on=day,
        topic="主题党日",
        attendance=attendance,
    )


def test_a_secretary_reads_the_branchs_points_for_a_year(branch_a, secretary_a, client_as):
    long_ago = dt.date(2019, 1, 1)
    keen = CadreFactory(name="甲", branch=branch_a, joined_on=long_ago)
    idle = CadreFactory(name="乙", branch=branch_a, joined_on=long_ago)
    for month in (3, 4):
        _hold(branch_a, dt.date(2025, month, 1), {keen.pk: ("present", ""), idle.pk: ("absent", "")})
    PointRule.objects.filter(code="attendance_present").update(points=2)
    response = client_as(secretary_a).get(
        reverse("branches:branch_points", args=[branch_a.pk]), {"year": 2025}
    )
    assert response.status_code == 200
    assert [(cadre.name, points) for cadre, points in response.context["rows"]] == [("甲", 4), ("乙", 0)]
    assert response.context["total"] == 4
    assert set(response.context["rules"]) == set(PointRule.objects.filter(is_active=True))
    other_year = client_as(secretary_a).get(
        reverse("branches:branch_points", args=[branch_a.pk]), {"year": "x"}
    )
    assert other_year.context["year"] == YEAR


def test_the_points_page_runs_the_same_queries_for_few_and_many_members(branch_a, staff_user, client_as):
    client = client_as(staff_user)
    url = reverse("branches:branch_points", args=[branch_a.pk])
    counts = []
    for size in (2, 12):
        members = [CadreFactory(branch=branch_a, joined_on=dt.date(2019, 1, 1)) for _ in range(size)]
        _hold(branch_a, dt.date(2025, size, 1), {m.pk: ("present", "") for m in members})
        client.get(url, {"year": 2025})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"year": 2025}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_the_branch_page_links_the_points_and_for_staff_the_rating(
    branch_a, staff_user, secretary_a, client_as
):
    detail = reverse("branches:branch_detail", args=[branch_a.pk])
    points = reverse("branches:branch_points", args=[branch_a.pk])
    rating = reverse("branches:rating_set", args=[branch_a.pk])
    staff_page = client_as(staff_user).get(detail).content.decode()
    assert points in staff_page
    assert rating in staff_page
    secretary_page = client_as(secretary_a).get(detail).content.decode()
    assert points in secretary_page
    assert rating not in secretary_page
