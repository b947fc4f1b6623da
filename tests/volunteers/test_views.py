"""The volunteers pages: lists with filters and exports within scope, forms that refuse bad input,
ids from outside the scope refused, and list pages whose query count does not grow with the rows."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.services import branch_update
from core.masking import mask_phone
from tests.factories import AreaFactory, CadreFactory, PatrolAreaFactory, UserFactory, VolunteerTeamFactory
from tests.test_no_server_errors import JUNK
from tests.volunteers.conftest import DAY, jpeg
from volunteers.models import ChiefPost, MicroWish, ServiceRecord, ServiceRecordPhoto, TeamMembership
from volunteers.services import chief_appoint, project_create, record_create
from volunteers.wish_services import wish_claim, wish_post

pytestmark = pytest.mark.django_db

LISTS = [
    "volunteers:summary",
    "volunteers:team_list",
    "volunteers:project_list",
    "volunteers:patrol_area_list",
    "volunteers:chief_post_list",
    "volunteers:record_list",
    "volunteers:wish_list",
]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _record_post(**fields) -> dict:
    data = {
        "subject": "chief_post",
        "served_on": timezone.localdate().isoformat(),
        "kind": "patrol",
        "hours": "1.5",
        "volunteers_present": 1,
        "people_served": 0,
        "problems_found": 1,
        "problems_resolved": 1,
        "notes": "",
    }
    data.update(fields)
    return data


@pytest.fixture
def everything(team_a, team_b, post_a, post_b, cadre_a, cadre_b):
    project_create(name="银发护河", team=team_a)
    record_create(chief_post=post_a, served_on=DAY, kind="patrol", problems_found=2, problems_resolved=1)
    record_create(chief_post=post_b, served_on=DAY, kind="patrol", problems_found=1, problems_resolved=1)
    wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=DAY)
    wish_post(beneficiary=cadre_b, wish="想要一副老花镜", posted_on=DAY)


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("role", ["staff_user", "secretary_a", "leader_a", "auditor"])
def test_every_list_opens_for_every_role_that_may_see_it(url_name, role, request, everything, client_as):
    response = client_as(request.getfixturevalue(role)).get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", LISTS)
def test_a_user_without_a_role_is_refused(url_name, client_as):
    assert client_as(UserFactory(role="")).get(reverse(url_name)).status_code == 403


def test_a_secretary_lists_and_exports_only_the_own_peoples_records(
    everything, secretary_a, cadre_a, client_as
):
    client = client_as(secretary_a)
    page = client.get(reverse("volunteers:record_list"))
    assert {record.chief_post.cadre_id for record in page.context["rows"]} == {cadre_a.pk}
    rows = csv_rows(client.get(reverse("volunteers:record_list"), {"format": "csv"}))
    assert [row[2] for row in rows[1:]] == ["王建国"]
    wishes = csv_rows(client.get(reverse("volunteers:wish_list"), {"format": "csv"}))
    assert [row[1] for row in wishes[1:]] == ["王建国"]
    posts = csv_rows(client.get(reverse("volunteers:chief_post_list"), {"format": "csv"}))
    assert [row[3] for row in posts[1:]] == ["王建国"]
    teams = csv_rows(client.get(reverse("volunteers:team_list"), {"format": "csv"}))
    assert [row[0] for row in teams[1:]] == ["城管局银发小队"]


def test_the_export_keeps_the_filters(everything, post_a, staff_user, client_as):
    record_create(chief_post=post_a, served_on=dt.date(2026, 8, 3), kind="patrol")
    rows = csv_rows(
        client_as(staff_user).get(reverse("volunteers:record_list"), {"format": "csv", "period": "2026-08"})
    )
    assert [row[0] for row in rows[1:]] == ["2026-08-03"]


def test_the_xlsx_export_downloads(everything, staff_user, client_as):
    response = client_as(staff_user).get(reverse("volunteers:chief_post_list"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize(("role", "masked"), [("staff_user", False), ("auditor", True), ("leader_a", True)])
def test_chiefs_phones_are_masked_for_roles_without_the_right(
    role, masked, request, post_a, cadre_a, client_as
):
    client = client_as(request.getfixturevalue(role))
    rows = csv_rows(client.get(reverse("volunteers:chief_post_list"), {"format": "csv"}))
    assert rows[1][4] == (mask_phone(cadre_a.phone) if masked else cadre_a.phone)
    html = client.get(reverse("volunteers:chief_post_list")).content.decode()
    assert (cadre_a.phone in html) is not masked


def test_the_wish_wall_masks_the_elders_name_in_the_list_and_the_export(leader_a, district, client_as):
    elder = CadreFactory(name="赵淑兰", sex="F", area=district)
    wish_post(beneficiary=elder, wish="想要一副老花镜", posted_on=DAY)
    client = client_as(leader_a)
    assert "赵淑兰" not in client.get(reverse("volunteers:wish_list")).content.decode()
    rows = csv_rows(client.get(reverse("volunteers:wish_list"), {"format": "csv"}))
    assert rows[1][1] == "赵**"


# Query counts ---------------------------------------------------------------------------------


def _grow(kind: str, count: int, *, team, district):
    for _ in range(count):
        cadre = CadreFactory()
        if kind == "team":
            VolunteerTeamFactory(level="squad", area=district)
        elif kind == "project":
            project_create(name=f"项目{cadre.pk}", team=team)
        elif kind in ("patrol_area", "chief_post", "record"):
            river = PatrolAreaFactory(area=district)
            post = chief_appoint(cadre=cadre, patrol_area=river, appointed_on=DAY, team=team)
            if kind == "record":
                record_create(chief_post=post, served_on=DAY, kind="patrol", project=None)
        elif kind == "wish":
            wish = wish_post(beneficiary=cadre, wish="想要一台收音机", posted_on=DAY)
            wish_claim(wish=wish, claimed_on=DAY, team=team)


LIST_ROWS = [
    ("volunteers:team_list", "team"),
    ("volunteers:project_list", "project"),
    ("volunteers:patrol_area_list", "patrol_area"),
    ("volunteers:chief_post_list", "chief_post"),
    ("volunteers:record_list", "record"),
    ("volunteers:wish_list", "wish"),
]


@pytest.mark.parametrize(
    ("role", "url_name", "kind"),
    [("staff_user", *case) for case in LIST_ROWS]
    # New root teams are outside a team leader's tree; every other row below is theirs.
    + [("leader_a", *case) for case in LIST_ROWS if case[1] != "team"],
)
def test_a_list_runs_the_same_queries_for_5_and_30_rows(
    role, url_name, kind, request, team_a, district, client_as
):
    client = client_as(request.getfixturevalue(role))
    url = reverse(url_name)
    counts = []
    for total, added in ((5, 5), (30, 25)):
        _grow(kind, added, team=team_a, district=district)
        client.get(url, {"per_page": 50})  # warm the caches (tree choices, permissions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": 50})
        assert response.status_code == 200
        assert len(response.context["rows"]) >= total
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Forms: bad input refused, nothing saved -----------------------------------------------------


def test_a_team_leader_records_a_river_patrol_with_a_photo(leader_a, post_a, client_as):
    response = client_as(leader_a).post(
        reverse("volunteers:record_create"), _record_post(chief_post=post_a.pk, photos=[jpeg()])
    )
    record = ServiceRecord.objects.get()
    assert response.status_code == 302
    assert (record.chief_post, record.recorded_by, record.problems_resolved) == (post_a, leader_a, 1)
    assert ServiceRecordPhoto.objects.filter(record=record).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"hours": "-2"}, "hours"),
        ({"problems_found": 1, "problems_resolved": 3}, "problems_resolved"),
        ({"served_on": "2099-01-01"}, "served_on"),
        ({"people_served": "-1"}, "people_served"),
        ({"subject": "team"}, "team"),
    ],
)
def test_a_bad_record_is_a_form_error_and_nothing_is_saved(leader_a, post_a, fields, field, client_as):
    response = client_as(leader_a).post(
        reverse("volunteers:record_create"), _record_post(chief_post=post_a.pk, **fields)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"), [({"chief_post": "post_b"}, "chief_post"), ({"team": "team_b"}, "team")]
)
def test_a_record_for_another_branchs_team_or_post_is_refused(
    secretary_a, post_a, team_b, post_b, fields, field, client_as
):
    objects = {"post_b": post_b.pk, "team_b": team_b.pk}
    data = _record_post(**{name: objects[value] for name, value in fields.items()})
    if field == "team":
        data["subject"] = "team"
    response = client_as(secretary_a).post(reverse("volunteers:record_create"), data)
    assert field in response.context["form"].errors
    assert not ServiceRecord.objects.exists()


def test_a_chief_post_that_would_end_before_it_began_is_a_form_error(post_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("volunteers:chief_post_update", args=[post_a.pk]),
        {"appointed_on": DAY.isoformat(), "ended_on": "2026-06-01", "team": ""},
    )
    assert response.status_code == 200
    assert "ended_on" in response.context["form"].errors
    assert ChiefPost.objects.get().ended_on is None


def test_a_secretary_cannot_appoint_another_branchs_cadre(secretary_a, cadre_b, river_a, post_a, client_as):
    response = client_as(secretary_a).post(
        reverse("volunteers:chief_post_create"),
        {"cadre": f"#{cadre_b.pk}", "patrol_area": river_a.pk, "appointed_on": DAY.isoformat()},
    )
    assert "cadre" in response.context["form"].errors
    assert not ChiefPost.objects.filter(cadre=cadre_b).exists()


def test_a_secretary_cannot_appoint_to_a_river_out_of_sight(secretary_a, cadre_a, river_b, post_b, client_as):
    response = client_as(secretary_a).post(
        reverse("volunteers:chief_post_create"),
        {"cadre": f"#{cadre_a.pk}", "patrol_area": river_b.pk, "appointed_on": DAY.isoformat()},
    )
    assert "patrol_area" in response.context["form"].errors
    assert not ChiefPost.objects.filter(patrol_area=river_b, cadre__name="王建国").exists()


def test_a_secretary_appoints_an_own_member_a_river_chief(
    secretary_a, branch_a, district, cadre_a, river_a, client_as
):
    # The rivers a secretary may appoint to are those of the area the branch serves.
    branch_update(branch=branch_a, area=district)
    response = client_as(secretary_a).post(
        reverse("volunteers:chief_post_create"),
        {"cadre": "王建国", "patrol_area": river_a.pk, "appointed_on": DAY.isoformat()},
    )
    assert response.status_code == 302
    assert ChiefPost.objects.get().cadre == cadre_a


def test_a_team_leader_cannot_enrol_a_stranger(leader_a, team_a, cadre_b, client_as):
    response = client_as(leader_a).post(
        reverse("volunteers:membership_create", args=[team_a.pk]),
        {"cadre": f"#{cadre_b.pk}", "joined_on": DAY.isoformat()},
    )
    assert "cadre" in response.context["form"].errors
    assert not TeamMembership.objects.filter(cadre=cadre_b).exists()


def test_a_membership_ends_from_the_team_page(leader_a, team_a, cadre_a, client_as):
    membership = TeamMembership.objects.get(team=team_a, cadre=cadre_a)
    response = client_as(leader_a).post(
        reverse("volunteers:membership_end", args=[membership.pk]),
        {"left_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()


def test_the_team_page_shows_members_projects_chiefs_and_records(team_a, post_a, leader_a, client_as):
    project_create(name="银发护河", team=team_a)
    record_create(chief_post=post_a, served_on=DAY, kind="patrol")
    response = client_as(leader_a).get(reverse("volunteers:team_detail", args=[team_a.pk]))
    html = response.content.decode()
    assert [m.cadre.name for m in response.context["memberships"]] == ["王建国"]
    assert "银发护河" in html
    assert "车路河" in html
    assert len(response.context["records"]) == 1


# Micro-wishes through the pages ---------------------------------------------------------------


def test_a_secretary_posts_claims_and_fulfils_a_wish(secretary_a, branch_a, cadre_a, client_as):
    client = client_as(secretary_a)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("volunteers:wish_create"),
        {"beneficiary": "王建国", "wish": "想要一台收音机", "posted_on": today},
    )
    wish = MicroWish.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("volunteers:wish_claim", args=[wish.pk]),
        {"claimant_kind": "branch", "branch": branch_a.pk, "claimed_on": today},
    )
    wish.refresh_from_db()
    assert (wish.status, wish.claimed_by_branch, wish.claimed_by_user) == ("claimed", branch_a, secretary_a)
    client.post(
        reverse("volunteers:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": today, "feedback": "老人很高兴", "photo": jpeg()},
    )
    wish.refresh_from_db()
    assert wish.status == MicroWish.Status.FULFILLED
    assert wish.evidence_thumbnail.name


def test_a_claim_naming_another_branch_is_refused(secretary_a, branch_b, cadre_a, client_as):
    wish = wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=DAY)
    response = client_as(secretary_a).post(
        reverse("volunteers:wish_claim", args=[wish.pk]),
        {"claimant_kind": "branch", "branch": branch_b.pk, "claimed_on": DAY.isoformat()},
    )
    assert "branch" in response.context["claim_form"].errors
    assert MicroWish.objects.get().status == MicroWish.Status.POSTED


def test_a_late_claim_shows_who_was_first(secretary_a, branch_a, team_a, cadre_a, client_as):
    wish = wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=DAY)
    wish_claim(wish=wish, claimed_on=DAY, team=team_a)
    response = client_as(secretary_a).post(
        reverse("volunteers:wish_claim", args=[wish.pk]),
        {"claimant_kind": "branch", "branch": branch_a.pk, "claimed_on": DAY.isoformat()},
    )
    assert response.status_code == 200
    assert team_a.name in " ".join(response.context["claim_form"].non_field_errors())
    assert MicroWish.objects.get().claimed_by_branch is None


def test_only_the_bureau_withdraws_a_wish(secretary_a, staff_user, cadre_a, client_as):
    wish = wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=DAY)
    url = reverse("volunteers:wish_withdraw", args=[wish.pk])
    data = {"reason": "老人已搬去子女家", "withdrawn_on": DAY.isoformat()}
    assert client_as(secretary_a).post(url, data).status_code == 403
    assert client_as(staff_user).post(url, data).status_code == 302
    assert MicroWish.objects.get().status == MicroWish.Status.WITHDRAWN


# Team leaders see nothing of the registry ---------------------------------------------------


@pytest.mark.parametrize(
    "url", ["cadres:cadre_list", "branches:branch_list", "branches:activity_list", "accounts:audit_log"]
)
def test_a_team_leader_is_refused_the_registry_and_branch_life(url, leader_a, client_as):
    assert client_as(leader_a).get(reverse(url)).status_code == 403


def test_a_team_leader_sends_junk_everywhere_without_a_server_error(leader_a, team_a, post_a, client_as):
    from tests.test_no_server_errors import _url_names_without_ids

    client = client_as(leader_a)
    client.raise_request_exception = False
    record = record_create(chief_post=post_a, served_on=DAY, kind="patrol")
    urls = [reverse(name) for name in _url_names_without_ids() if name.startswith("volunteers:")]
    urls += [
        reverse("volunteers:team_detail", args=[team_a.pk]),
        reverse("volunteers:record_update", args=[record.pk]),
        reverse("volunteers:chief_post_detail", args=[post_a.pk]),
    ]
    for url in urls:
        for response in (client.get(url, JUNK), client.post(url, JUNK)):
            assert response.status_code < 500, (url, response.status_code)


def test_the_area_filter_narrows_the_records(everything, staff_user, district, client_as):
    elsewhere = AreaFactory(name="昭阳街道")
    response = client_as(staff_user).get(reverse("volunteers:record_list"), {"area": district.pk})
    assert [r.chief_post.patrol_area.area_id for r in response.context["rows"]] == [district.pk]
    response = client_as(staff_user).get(reverse("volunteers:record_list"), {"area": elsewhere.pk})
    assert list(response.context["rows"]) == []
