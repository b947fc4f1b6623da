"""The outreach pages: forms that refuse bad input, scoped lists and exports, the summary and progress."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.masking import mask_phone
from outreach import services
from outreach.models import (
    Campaign,
    LectureGroup,
    LectureGroupMembership,
    Lecturer,
    Publicity,
    TalkEvent,
    Topic,
    VenueType,
)
from tests.factories import (
    AreaFactory,
    CadreFactory,
    LectureGroupFactory,
    LecturerFactory,
    TalkEventFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
LAST_WEEK = TODAY - dt.timedelta(days=7)
LAST_YEAR = TODAY.year - 1


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


@pytest.fixture
def group_a(branch_a, cadre_a):
    group = LectureGroupFactory(name="城管局支部宣讲小组", branch=branch_a)
    lecturer = LecturerFactory(cadre=cadre_a)
    services.group_member_add(group=group, lecturer=lecturer, joined_on=dt.date(2024, 1, 1))
    return group


@pytest.fixture
def group_b(branch_b, cadre_b):
    group = LectureGroupFactory(name="教育局支部宣讲小组", branch=branch_b)
    services.group_member_add(
        group=group, lecturer=LecturerFactory(cadre=cadre_b), joined_on=dt.date(2024, 1, 1)
    )
    return group


def _talk_post(chosen, **extra):
    data = {
        "lecturers": [lecturer.pk for lecturer in chosen],
        "held_on": LAST_WEEK.isoformat(),
        "topic": "drowning_prevention",
        "title": "珍爱生命 预防溺水",
        "venue_type": "school",
        "venue_name": "实验小学",
        "audience": "400",
        "youth_audience": "380",
    }
    data.update(extra)
    return data


# Recording talks


def test_a_secretary_records_a_talk_of_the_own_group(group_a, cadre_a, secretary_a, client_as):
    url = reverse("outreach:talk_create") + f"?group={group_a.pk}"
    response = client_as(secretary_a).post(url, _talk_post([cadre_a.lecturer]))
    talk = TalkEvent.objects.get()
    assert response.status_code == 302
    assert (talk.group, talk.recorded_by, talk.audience, talk.youth_audience) == (
        group_a,
        secretary_a,
        400,
        380,
    )
    assert list(talk.lecturers.all()) == [cadre_a.lecturer]


def test_the_talk_form_offers_only_the_groups_current_lecturers(group_a, cadre_a, secretary_a, client_as):
    gone = LecturerFactory(cadre=CadreFactory(name="赵离团"))
    membership = services.group_member_add(group=group_a, lecturer=gone, joined_on=dt.date(2024, 1, 1))
    services.group_member_end(membership=membership, left_on=dt.date(2025, 1, 1))
    response = client_as(secretary_a).get(reverse("outreach:talk_create"), {"group": group_a.pk})
    offered = list(response.context["form"].fields["lecturers"].queryset)
    assert offered == [cadre_a.lecturer]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"audience": "100", "youth_audience": "101"}, "youth_audience"),
        ({"held_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "held_on"),
        ({"audience": "-5", "youth_audience": "0"}, "audience"),
    ],
)
def test_a_bad_talk_is_a_form_error_and_nothing_is_saved(
    extra, field, group_a, cadre_a, secretary_a, client_as
):
    url = reverse("outreach:talk_create") + f"?group={group_a.pk}"
    response = client_as(secretary_a).post(url, _talk_post([cadre_a.lecturer], **extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["form"]["title"].value() == "珍爱生命 预防溺水"
    assert not TalkEvent.objects.exists()


def test_a_secretary_cannot_record_a_talk_for_another_branchs_group(
    group_a, group_b, cadre_b, secretary_a, client_as
):
    client = client_as(secretary_a)
    url = reverse("outreach:talk_create") + f"?group={group_b.pk}"
    assert client.post(url, _talk_post([cadre_b.lecturer])).status_code == 404
    assert not TalkEvent.objects.exists()


def test_a_lecturer_of_another_branch_slipped_into_the_own_groups_talk_is_refused(
    group_a, group_b, cadre_a, cadre_b, secretary_a, client_as
):
    url = reverse("outreach:talk_create") + f"?group={group_a.pk}"
    response = client_as(secretary_a).post(url, _talk_post([cadre_a.lecturer, cadre_b.lecturer]))
    assert "lecturers" in response.context["form"].errors
    assert not TalkEvent.objects.exists()


def test_a_secretary_may_not_record_a_talk_without_a_group(group_a, secretary_a, client_as):
    response = client_as(secretary_a).get(reverse("outreach:talk_create"), {"group": "none"})
    choices = [value for value, _label in response.context["form"].fields["group"].choices]
    assert choices == [group_a.pk]


def test_staff_record_a_talk_without_a_group_by_typing_lecturers(cadre_a, cadre_b, staff_user, client_as):
    first, second = LecturerFactory(cadre=cadre_a), LecturerFactory(cadre=cadre_b)
    url = reverse("outreach:talk_create") + "?group=none"
    data = _talk_post([], lecturers=f"{cadre_a.name}, #{cadre_b.pk}", venue_type="online")
    response = client_as(staff_user).post(url, data)
    assert response.status_code == 302
    talk = TalkEvent.objects.get()
    assert talk.group is None
    assert set(talk.lecturers.all()) == {first, second}


def test_an_unknown_lecturer_name_is_a_form_error(staff_user, client_as):
    LecturerFactory()
    url = reverse("outreach:talk_create") + "?group=none"
    response = client_as(staff_user).post(url, _talk_post([], lecturers="无此人"))
    assert "lecturers" in response.context["form"].errors
    assert not TalkEvent.objects.exists()


def test_editing_a_talk_keeps_its_group_and_checks_the_audience(group_a, secretary_a, client_as):
    talk = TalkEventFactory(group=group_a, audience=100, youth_audience=50)
    client = client_as(secretary_a)
    url = reverse("outreach:talk_update", args=[talk.pk])
    lecturers = list(talk.lecturers.all())
    bad = client.post(url, _talk_post(lecturers, audience="10", youth_audience="20"))
    assert "youth_audience" in bad.context["form"].errors
    assert client.post(url, _talk_post(lecturers, audience="150", youth_audience="20")).status_code == 302
    talk.refresh_from_db()
    assert (talk.group, talk.audience) == (group_a, 150)


def test_the_auditor_reads_talks_but_may_not_record_them(group_a, auditor, client_as):
    TalkEventFactory(group=group_a)
    client = client_as(auditor)
    assert client.get(reverse("outreach:talk_list")).status_code == 200
    assert client.get(reverse("outreach:talk_create")).status_code == 403


# Lecturers and groups


def test_a_secretary_profiles_an_own_member_as_a_lecturer(branch_a, secretary_a, client_as):
    member = CadreFactory(name="孙讲师", branch=branch_a, five_elders=["veteran"])
    response = client_as(secretary_a).post(
        reverse("outreach:lecturer_create"),
        {"cadre": f"#{member.pk}", "topics": ["party_history", "rule_of_law"], "availability": "weekends"},
    )
    assert response.status_code == 302
    lecturer = Lecturer.objects.get()
    assert (lecturer.cadre, lecturer.category, lecturer.topics) == (
        member,
        "veteran",
        ["party_history", "rule_of_law"],
    )


def test_a_secretary_cannot_profile_another_branchs_member(cadre_b, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("outreach:lecturer_create"), {"cadre": f"#{cadre_b.pk}", "availability": "weekends"}
    )
    assert "cadre" in response.context["form"].errors
    assert not Lecturer.objects.exists()


def test_a_secretary_cannot_add_another_branchs_lecturer_to_the_own_group(
    group_a, cadre_b, secretary_a, client_as
):
    LecturerFactory(cadre=cadre_b)
    response = client_as(secretary_a).post(
        reverse("outreach:group_member_add", args=[group_a.pk]),
        {"lecturer": f"#{cadre_b.pk}", "joined_on": TODAY.isoformat()},
    )
    assert "lecturer" in response.context["form"].errors
    assert LectureGroupMembership.objects.filter(group=group_a).count() == 1


def test_a_secretary_ends_a_membership_of_the_own_group(group_a, secretary_a, client_as):
    membership = group_a.memberships.get()
    response = client_as(secretary_a).post(
        reverse("outreach:membership_end", args=[membership.pk]), {"left_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == TODAY


def test_a_secretary_may_not_create_groups(secretary_a, client_as):
    assert client_as(secretary_a).get(reverse("outreach:group_create")).status_code == 403


def test_staff_create_a_bureau_group(staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("outreach:group_create"), {"name": "蓉城金秋宣讲团", "level": "city"}
    )
    assert response.status_code == 302
    assert LectureGroup.objects.get().branch is None


# Scoped lists and exports


def test_a_secretary_sees_only_the_own_groups_talks_in_the_list_and_export(
    group_a, group_b, secretary_a, client_as
):
    own = TalkEventFactory(group=group_a, title="本支部宣讲")
    TalkEventFactory(group=group_b, title="别的支部宣讲")
    TalkEventFactory(title="局机关宣讲")  # the bureau's, without a group
    client = client_as(secretary_a)
    response = client.get(reverse("outreach:talk_list"))
    assert list(response.context["rows"]) == [own]
    rows = _rows(client.get(reverse("outreach:talk_list"), {"format": "csv"}))
    assert [row[1] for row in rows] == ["本支部宣讲"]


def test_a_secretary_sees_only_the_own_members_as_lecturers_in_the_list_and_export(
    group_a, group_b, cadre_a, secretary_a, client_as
):
    client = client_as(secretary_a)
    response = client.get(reverse("outreach:lecturer_list"))
    assert [lecturer.cadre for lecturer in response.context["rows"]] == [cadre_a]
    rows = _rows(client.get(reverse("outreach:lecturer_list"), {"format": "csv"}))
    assert [row[1] for row in rows] == [cadre_a.name]
    groups = client.get(reverse("outreach:group_list")).context["rows"]
    assert list(groups) == [group_a]


def test_the_lecturer_export_masks_phones_for_roles_without_the_right(
    group_a, cadre_a, auditor, staff_user, client_as
):
    url = reverse("outreach:lecturer_list")
    masked = _rows(client_as(auditor).get(url, {"format": "csv"}))
    full = _rows(client_as(staff_user).get(url, {"format": "csv"}))
    assert masked[0][7] == mask_phone(cadre_a.phone) != cadre_a.phone
    assert full[0][7] == cadre_a.phone


def test_the_lecturer_list_filters_by_topic(staff_user, client_as):
    law = LecturerFactory(topics=["rule_of_law"])
    LecturerFactory(topics=["party_history"])
    response = client_as(staff_user).get(reverse("outreach:lecturer_list"), {"topic": "rule_of_law"})
    assert list(response.context["rows"]) == [law]


def test_the_talk_list_filters_by_period_venue_type_topic_and_area(staff_user, client_as):
    district = AreaFactory(name="武侯区", kind="district")
    community = AreaFactory(name="长寿苑社区", parent=district)
    match = TalkEventFactory(
        held_on=dt.date(LAST_YEAR, 7, 3), venue_type="school", topic="drug_prevention", area=community
    )
    TalkEventFactory(
        held_on=dt.date(LAST_YEAR, 8, 3), venue_type="school", topic="drug_prevention", area=community
    )
    TalkEventFactory(
        held_on=dt.date(LAST_YEAR, 7, 4), venue_type="community", topic="drug_prevention", area=community
    )
    TalkEventFactory(
        held_on=dt.date(LAST_YEAR, 7, 5), venue_type="school", topic="party_history", area=community
    )
    TalkEventFactory(held_on=dt.date(LAST_YEAR, 7, 6), venue_type="school", topic="drug_prevention")
    params = {
        "period": f"{LAST_YEAR}-07",
        "venue_type": "school",
        "topic": "drug_prevention",
        "area": district.pk,
    }
    response = client_as(staff_user).get(reverse("outreach:talk_list"), params)
    assert list(response.context["rows"]) == [match]


def test_a_bad_period_is_shown_on_the_filter_and_ignored(staff_user, client_as):
    TalkEventFactory()
    response = client_as(staff_user).get(reverse("outreach:talk_list"), {"period": "2026-13"})
    assert "period" in response.context["form"].errors
    assert len(response.context["rows"]) == 1


def test_the_publicity_list_and_export_follow_the_scope(branch_a, branch_b, cadre_a, secretary_a, client_as):
    fields = {"outlet": "学习强国", "level": "city", "published_on": LAST_WEEK}
    own = services.publicity_create(title="王建国同志先进事迹", cadre=cadre_a, **fields)
    services.publicity_create(title="教育局支部经验", branch=branch_b, **fields)
    client = client_as(secretary_a)
    assert list(client.get(reverse("outreach:publicity_list")).context["rows"]) == [own]
    rows = _rows(client.get(reverse("outreach:publicity_list"), {"format": "csv"}))
    assert [(row[1], row[2]) for row in rows] == [(own.title, cadre_a.name)]


def test_staff_record_publicity_of_a_branch(branch_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("outreach:publicity_create"),
        {
            "title": "支部创建“1+5”服务模式",
            "branch": branch_a.pk,
            "outlet": "人民日报",
            "level": "national",
            "published_on": LAST_WEEK.isoformat(),
            "link": "https://example.com/a",
        },
    )
    assert response.status_code == 302
    assert Publicity.objects.get().branch == branch_a


def test_publicity_naming_nobody_is_a_form_error(staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("outreach:publicity_create"),
        {"title": "x", "outlet": "市电视台", "level": "city", "published_on": LAST_WEEK.isoformat()},
    )
    assert response.context["form"].errors
    assert not Publicity.objects.exists()


# Campaigns


def _campaign_post(**extra):
    data = {
        "name": "百千万宣讲行动",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "target_lecturers": "100",
        "target_talks": "1000",
        "target_audience": "10000",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"ends_on": "2025-12-31"}, "ends_on"), ({"target_talks": "-1"}, "target_talks")],
)
def test_a_bad_campaign_is_a_form_error_and_nothing_is_saved(extra, field, staff_user, client_as):
    response = client_as(staff_user).post(reverse("outreach:campaign_create"), _campaign_post(**extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_staff_create_a_campaign_and_see_its_progress(staff_user, client_as):
    client = client_as(staff_user)
    start = TODAY - dt.timedelta(days=70)
    response = client.post(
        reverse("outreach:campaign_create"),
        _campaign_post(starts_on=start.isoformat(), ends_on=(TODAY + dt.timedelta(days=30)).isoformat()),
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    TalkEventFactory(campaign=campaign, audience=500, youth_audience=400)
    TalkEventFactory(campaign=campaign, audience=500, youth_audience=0, held_on=start)
    page = client.get(reverse("outreach:campaign_detail", args=[campaign.pk]))
    progress = page.context["progress"]
    assert (progress.talks.value, progress.audience.value, progress.audience.percent) == (2, 1000, 10.0)
    assert page.context["chart_data"]["target_talks"] == 1000
    assert sum(page.context["chart_data"]["talks"]) == 2
    html = page.content.decode()
    assert 'data-testid="progress-table"' in html
    assert "campaign_progress.js" in html
    listed = client.get(reverse("outreach:campaign_list")).context["rows"][0]
    assert (listed.talk_count, listed.audience_total) == (2, 1000)


def test_a_secretary_sees_only_the_own_branchs_campaigns(branch_a, branch_b, secretary_a, client_as):
    own = services.campaign_create(name="支部宣讲月", starts_on=LAST_WEEK, ends_on=TODAY, branch=branch_a)
    services.campaign_create(name="别的支部宣讲月", starts_on=LAST_WEEK, ends_on=TODAY, branch=branch_b)
    services.campaign_create(name="全市百千万", starts_on=LAST_WEEK, ends_on=TODAY)
    assert list(client_as(secretary_a).get(reverse("outreach:campaign_list")).context["rows"]) == [own]


# The summary


def test_each_summary_figure_equals_the_talk_lists_rows_for_the_same_filters(
    group_a, group_b, staff_user, client_as
):
    district = AreaFactory(name="锦江区", kind="district")
    for venue_type, topic, audience, youth, group in [
        ("school", "drowning_prevention", 300, 290, group_a),
        ("school", "party_history", 200, 150, group_b),
        ("community", "party_history", 80, 0, group_a),
        ("village", "rural_revitalisation", 60, 5, None),
        ("online", "rule_of_law", 1000, 100, group_b),
    ]:
        TalkEventFactory(
            group=group,
            venue_type=venue_type,
            topic=topic,
            audience=audience,
            youth_audience=youth,
            area=district,
        )
    TalkEventFactory(held_on=dt.date(TODAY.year - 1, 12, 31), audience=7777, youth_audience=0)  # another year
    client = client_as(staff_user)
    params = {"period": str(TODAY.year), "area": district.pk}
    figures = client.get(reverse("outreach:summary"), params).context["figures"]
    rows = _rows(client.get(reverse("outreach:talk_list"), {**params, "format": "csv"}))
    assert figures.talks == len(rows) == 5
    assert figures.audience == sum(int(row[8]) for row in rows)
    assert figures.youth_audience == sum(int(row[9]) for row in rows)
    assert figures.groups == len({row[6] for row in rows if row[6]})
    assert figures.lecturers == len({name for row in rows for name in row[7].split("、")})
    for breakdown in figures.by_venue_type:
        mine = [row for row in rows if row[3] == str(VenueType(breakdown.code).label)]
        assert (breakdown.talks, breakdown.audience) == (len(mine), sum(int(row[8]) for row in mine))
        assert breakdown.youth_audience == sum(int(row[9]) for row in mine)
    for breakdown in figures.by_topic:
        mine = [row for row in rows if row[2] == str(Topic(breakdown.code).label)]
        assert (breakdown.talks, breakdown.audience) == (len(mine), sum(int(row[8]) for row in mine))


def test_the_summary_of_a_secretary_counts_only_the_own_groups(group_a, group_b, secretary_a, client_as):
    TalkEventFactory(group=group_a, audience=40, youth_audience=10)
    TalkEventFactory(group=group_b, audience=900, youth_audience=900)
    response = client_as(secretary_a).get(reverse("outreach:summary"))
    assert (response.context["figures"].talks, response.context["figures"].audience) == (1, 40)
    assert response.context["group_count"] == 1
    # cadre_a and the lecturer of the talk, both of branch a; branch b's are not counted.
    assert response.context["lecturer_count"] == 2


# Query counts: the same for 5 rows and for 30


def _make_talks(count, group):
    for _ in range(count):
        TalkEventFactory(group=group)


def _make_lecturers(count, branch):
    for _ in range(count):
        LecturerFactory(cadre=CadreFactory(branch=branch))


def _make_groups(count, branch):
    for _ in range(count):
        TalkEventFactory(group=LectureGroupFactory(branch=branch))


def _make_campaigns(count, branch):
    for index in range(count):
        campaign = services.campaign_create(
            name=f"宣讲行动{index}", starts_on=LAST_WEEK - dt.timedelta(days=30), ends_on=TODAY, branch=branch
        )
        TalkEventFactory(group=LectureGroupFactory(branch=branch), campaign=campaign)


def _make_publicity(count, branch):
    for index in range(count):
        services.publicity_create(
            title=f"先进事迹{index}",
            cadre=CadreFactory(branch=branch),
            outlet="学习强国",
            level="city",
            published_on=LAST_WEEK,
        )


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("outreach:talk_list", _make_talks),
        ("outreach:lecturer_list", _make_lecturers),
        ("outreach:group_list", _make_groups),
        ("outreach:campaign_list", _make_campaigns),
        ("outreach:publicity_list", _make_publicity),
    ],
)
def test_the_lists_run_the_same_queries_for_5_and_30_rows(
    url_name, make, branch_a, group_a, secretary_a, client_as
):
    client = client_as(secretary_a)
    url = reverse(url_name)
    counts = []
    made = 0
    for rows in (5, 30):
        make(rows - made, branch_a if make is not _make_talks else group_a)
        made = rows
        client.get(url, {"per_page": 50})  # warm the cache (tree choices)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": 50})
        assert response.status_code == 200
        assert len(response.context["rows"]) >= rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]
