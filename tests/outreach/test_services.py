"""The rules of outreach records, enforced by the services and the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from outreach import selectors, services
from outreach.models import Campaign, LectureGroupMembership, Lecturer, Publicity, TalkEvent
from tests.factories import CadreFactory, LectureGroupFactory, LecturerFactory, TalkEventFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _talk(**overrides):
    lecturer = overrides.pop("lecturer", None) or LecturerFactory()
    fields = {
        "lecturers": [lecturer],
        "held_on": TODAY - dt.timedelta(days=3),
        "topic": "drowning_prevention",
        "title": "防溺水安全教育",
        "venue_type": "school",
        "audience": 300,
        "youth_audience": 280,
    }
    fields.update(overrides)
    return services.talk_record(**fields)


def test_it_refuses_more_young_people_than_the_audience():
    with pytest.raises(ValidationError) as error:
        _talk(audience=50, youth_audience=51)
    assert "youth_audience" in error.value.message_dict
    assert not TalkEvent.objects.exists()


def test_the_database_refuses_more_young_people_than_the_audience_too():
    talk = _talk()
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkEvent.objects.filter(pk=talk.pk).update(youth_audience=301)


def test_it_refuses_a_talk_in_the_future():
    with pytest.raises(ValidationError) as error:
        _talk(held_on=TODAY + dt.timedelta(days=1))
    assert "held_on" in error.value.message_dict
    assert not TalkEvent.objects.exists()


def test_it_needs_at_least_one_lecturer():
    with pytest.raises(ValidationError) as error:
        _talk(lecturers=[])
    assert "lecturers" in error.value.message_dict


def test_a_groups_talk_names_only_lecturers_in_the_group_on_the_day(branch_a):
    group = LectureGroupFactory(branch=branch_a)
    member, stranger = LecturerFactory(), LecturerFactory()
    services.group_member_add(group=group, lecturer=member, joined_on=TODAY - dt.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        _talk(group=group, lecturers=[member, stranger])
    assert stranger.cadre.name in error.value.message_dict["lecturers"][0]
    # Before the member joined, they were not in the group either.
    with pytest.raises(ValidationError):
        _talk(group=group, lecturers=[member], held_on=TODAY - dt.timedelta(days=40))
    talk = _talk(group=group, lecturers=[member])
    assert list(talk.lecturers.all()) == [member]


def test_a_campaigns_talk_falls_in_its_period_and_area():
    from tests.factories import AreaFactory

    district = AreaFactory(name="牡丹区", kind="district")
    inside = AreaFactory(name="牡丹区某社区", parent=district)
    elsewhere = AreaFactory(name="曹县", kind="district")
    campaign = services.campaign_create(
        name="百千万宣讲行动",
        starts_on=TODAY - dt.timedelta(days=60),
        ends_on=TODAY + dt.timedelta(days=60),
        area=district,
    )
    with pytest.raises(ValidationError) as error:
        _talk(campaign=campaign, held_on=TODAY - dt.timedelta(days=61), area=inside)
    assert "campaign" in error.value.message_dict
    with pytest.raises(ValidationError):
        _talk(campaign=campaign, area=elsewhere)
    assert _talk(campaign=campaign, area=inside).campaign == campaign


def test_a_branchs_campaign_counts_only_its_own_groups_talks(branch_a, branch_b):
    campaign = services.campaign_create(
        name="支部宣讲月", starts_on=TODAY - dt.timedelta(days=30), ends_on=TODAY, branch=branch_a
    )
    with pytest.raises(ValidationError):
        TalkEventFactory(group=LectureGroupFactory(branch=branch_b), campaign=campaign)
    assert (
        TalkEventFactory(group=LectureGroupFactory(branch=branch_a), campaign=campaign).campaign == campaign
    )


def test_a_campaign_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as error:
        services.campaign_create(name="x", starts_on=TODAY, ends_on=TODAY - dt.timedelta(days=1))
    assert "ends_on" in error.value.message_dict
    assert not Campaign.objects.exists()


def test_a_campaign_refuses_negative_targets():
    with pytest.raises(ValidationError) as error:
        services.campaign_create(name="x", starts_on=TODAY, ends_on=TODAY, target_talks=-1)
    assert "target_talks" in error.value.message_dict
    assert not Campaign.objects.exists()


def test_campaign_progress_counts_distinct_lecturers_talks_and_audiences_in_its_period():
    start = TODAY - dt.timedelta(days=90)
    campaign = services.campaign_create(
        name="百千万宣讲行动",
        starts_on=start,
        ends_on=TODAY,
        target_lecturers=4,
        target_talks=10,
        target_audience=1000,
    )
    first, second = LecturerFactory(), LecturerFactory()
    _talk(lecturer=first, campaign=campaign, audience=100, youth_audience=80, held_on=start)
    _talk(lecturers=[first, second], campaign=campaign, audience=200, youth_audience=0)
    _talk(lecturer=LecturerFactory(), audience=999)  # not the campaign's

    progress = selectors.campaign_progress(campaign)

    assert (progress.lecturers.value, progress.talks.value, progress.audience.value) == (2, 2, 300)
    assert progress.youth_audience.value == 80
    assert (progress.lecturers.percent, progress.talks.percent, progress.audience.percent) == (
        50.0,
        20.0,
        30.0,
    )
    assert progress.months[0].month == start.replace(day=1)
    assert progress.months[-1].talks_to_date == 2
    assert sum(row.audience for row in progress.months) == 300


def test_campaign_progress_takes_a_few_queries(django_assert_max_num_queries):
    campaign = services.campaign_create(name="x", starts_on=TODAY - dt.timedelta(days=200), ends_on=TODAY)
    for _ in range(5):
        _talk(campaign=campaign)
    with django_assert_max_num_queries(3):
        selectors.campaign_progress(campaign)


def test_a_lecturer_takes_the_cadres_first_five_elders_tag():
    cadre = CadreFactory(five_elders=["teacher", "veteran"])
    lecturer = services.lecturer_create(cadre=cadre)
    assert lecturer.category == "teacher"
    with pytest.raises(ValidationError):
        services.lecturer_create(cadre=cadre)
    assert Lecturer.objects.count() == 1


def test_a_lecturer_refuses_unknown_topics():
    with pytest.raises(ValidationError) as error:
        services.lecturer_create(cadre=CadreFactory(), topics=["astrology"])
    assert "topics" in error.value.message_dict


def test_a_lecturer_joins_a_group_once_and_leaves_with_the_history_kept(branch_a):
    group, lecturer = LectureGroupFactory(branch=branch_a), LecturerFactory()
    membership = services.group_member_add(
        group=group, lecturer=lecturer, joined_on=TODAY - dt.timedelta(days=9)
    )
    with pytest.raises(ValidationError):
        services.group_member_add(group=group, lecturer=lecturer, joined_on=TODAY)
    with pytest.raises(ValidationError):
        services.group_member_end(membership=membership, left_on=TODAY - dt.timedelta(days=10))
    services.group_member_end(membership=membership, left_on=TODAY)
    assert LectureGroupMembership.objects.get().left_on == TODAY
    assert list(selectors.group_current_lecturers(group=group)) == []
    services.group_member_add(group=group, lecturer=lecturer, joined_on=TODAY)
    assert LectureGroupMembership.objects.count() == 2


def test_publicity_is_about_a_cadre_or_a_branch(branch_a, cadre_a):
    fields = {"title": "先进事迹", "outlet": "人民日报", "level": "national", "published_on": TODAY}
    with pytest.raises(ValidationError):
        services.publicity_create(**fields)
    with pytest.raises(ValidationError):
        services.publicity_create(cadre=cadre_a, branch=branch_a, **fields)
    assert services.publicity_create(cadre=cadre_a, **fields).subject == cadre_a
    assert Publicity.objects.count() == 1
