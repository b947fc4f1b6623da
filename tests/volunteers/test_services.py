"""The rules of teams, memberships, chief posts and service records, kept by the services and the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from tests.factories import CadreFactory, VolunteerTeamFactory
from tests.volunteers.conftest import DAY, jpeg
from volunteers import services
from volunteers.models import ChiefPost, ServiceRecord, ServiceRecordPhoto, TeamMembership

pytestmark = pytest.mark.django_db


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_it_builds_the_team_tree_from_corps_down_to_squads(corps):
    detachment = VolunteerTeamFactory(level="detachment", parent=corps)
    squad = VolunteerTeamFactory(level="squad", parent=detachment)
    assert (squad.depth, detachment.depth, corps.depth) == (3, 2, 1)
    assert squad.path.startswith(detachment.path) and detachment.path.startswith(corps.path)


def test_it_refuses_a_sub_team_at_the_level_of_its_parent_or_above(corps):
    with pytest.raises(ValidationError) as error:
        VolunteerTeamFactory(level="corps", parent=corps)
    assert "level" in _errors(error)


def test_it_refuses_to_raise_a_team_above_its_sub_teams(corps):
    detachment = VolunteerTeamFactory(level="detachment", parent=corps)
    VolunteerTeamFactory(level="squadron", parent=detachment)
    with pytest.raises(ValidationError) as error:
        services.team_update(team=detachment, level="squad")
    assert "level" in _errors(error)


def test_it_refuses_a_team_dissolved_before_it_was_founded(corps):
    with pytest.raises(ValidationError):
        services.team_update(team=corps, dissolved_on=dt.date(2019, 1, 1))


def test_a_cadre_has_one_open_membership_per_team_and_keeps_the_history(team_a, cadre_a):
    first = services.membership_add(team=team_a, cadre=cadre_a, joined_on=DAY)
    with pytest.raises(ValidationError) as error:
        services.membership_add(team=team_a, cadre=cadre_a, joined_on=DAY)
    assert "cadre" in _errors(error)
    services.membership_end(membership=first, left_on=dt.date(2026, 8, 1))
    services.membership_add(team=team_a, cadre=cadre_a, joined_on=dt.date(2026, 9, 1))
    assert TeamMembership.objects.filter(team=team_a, cadre=cadre_a).count() == 2


def test_the_database_refuses_a_second_open_membership(team_a, cadre_a):
    services.membership_add(team=team_a, cadre=cadre_a, joined_on=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(team=team_a, cadre=cadre_a, joined_on=DAY)


def test_a_membership_cannot_end_before_it_began(team_a, cadre_a):
    membership = services.membership_add(team=team_a, cadre=cadre_a, joined_on=DAY)
    with pytest.raises(ValidationError) as error:
        services.membership_end(membership=membership, left_on=dt.date(2026, 6, 1))
    assert "left_on" in _errors(error)
    membership.refresh_from_db()
    assert membership.left_on is None


def test_a_chief_holds_one_open_post_per_patrol_area(post_a, cadre_a, river_a):
    with pytest.raises(ValidationError) as error:
        services.chief_appoint(cadre=cadre_a, patrol_area=river_a, appointed_on=DAY)
    assert "cadre" in _errors(error)
    assert ChiefPost.objects.filter(cadre=cadre_a).count() == 1


def test_a_past_term_is_recorded_beside_the_current_post_but_may_not_overlap_it(post_a, cadre_a, river_a):
    past = services.chief_appoint(
        cadre=cadre_a, patrol_area=river_a, appointed_on=dt.date(2022, 1, 1), ended_on=dt.date(2025, 12, 31)
    )
    assert (past.appointed_on, past.ended_on) == (dt.date(2022, 1, 1), dt.date(2025, 12, 31))
    for start, end in (
        (dt.date(2025, 6, 1), dt.date(2026, 7, 1)),
        (dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
    ):
        with pytest.raises(ValidationError) as error:
            services.chief_appoint(cadre=cadre_a, patrol_area=river_a, appointed_on=start, ended_on=end)
        assert "cadre" in _errors(error), (start, end)
    for start, end in (
        (dt.date(2020, 2, 1), dt.date(2020, 1, 1)),
        (dt.date(2020, 2, 1), timezone.localdate() + dt.timedelta(days=1)),
    ):
        with pytest.raises(ValidationError) as error:
            services.chief_appoint(cadre=cadre_a, patrol_area=river_a, appointed_on=start, ended_on=end)
        assert "ended_on" in _errors(error), (start, end)
    assert ChiefPost.objects.filter(cadre=cadre_a).count() == 2


def test_a_post_cannot_end_before_the_appointment(post_a):
    with pytest.raises(ValidationError) as error:
        services.chief_post_update(post=post_a, ended_on=dt.date(2026, 6, 30))
    assert "ended_on" in _errors(error)
    post_a.refresh_from_db()
    assert post_a.ended_on is None


def test_the_database_refuses_a_post_that_ends_before_it_starts(post_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChiefPost.objects.filter(pk=post_a.pk).update(ended_on=dt.date(2026, 6, 30))


def test_a_post_cannot_end_before_service_recorded_on_it(post_a):
    services.record_create(chief_post=post_a, served_on=dt.date(2026, 7, 10), kind="patrol")
    with pytest.raises(ValidationError) as error:
        services.chief_post_update(post=post_a, ended_on=dt.date(2026, 7, 5))
    assert "ended_on" in _errors(error)


def test_it_records_a_patrol_with_its_problems(post_a):
    record = services.record_create(
        chief_post=post_a,
        served_on=DAY,
        kind="patrol",
        hours=Decimal("1.5"),
        problems_found=2,
        problems_resolved=1,
    )
    assert record.subject_name.endswith(post_a.cadre.name)
    assert ServiceRecord.objects.get().problems_resolved == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"hours": Decimal("-1")}, "hours"),
        ({"problems_found": 1, "problems_resolved": 2}, "problems_resolved"),
        ({"served_on": dt.date(2099, 1, 1)}, "served_on"),
        ({"served_on": dt.date(2026, 6, 30)}, "served_on"),  # before the chief was appointed
    ],
)
def test_it_refuses_a_bad_record_and_saves_nothing(post_a, fields, field):
    values = {"chief_post": post_a, "served_on": DAY, "kind": "patrol", **fields}
    with pytest.raises(ValidationError) as error:
        services.record_create(**values)
    assert field in _errors(error)
    assert not ServiceRecord.objects.exists()


def test_a_record_is_either_a_teams_or_a_chiefs(post_a, team_a):
    for both_or_neither in ({"team": team_a, "chief_post": post_a}, {}):
        with pytest.raises(ValidationError) as error:
            services.record_create(served_on=DAY, kind="patrol", **both_or_neither)
        assert "team" in _errors(error)
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"problems_found": 1, "problems_resolved": 2},
        {"hours": Decimal("-1")},
        {"volunteers_present": -1},
        {"people_served": -1},
        {"team": None, "chief_post": None},
    ],
)
def test_the_database_keeps_the_records_invariants(post_a, team_a, values):
    record = services.record_create(team=team_a, served_on=DAY, kind="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.filter(pk=record.pk).update(**values)


def test_a_project_of_another_team_is_refused(team_a, team_b):
    project = services.project_create(name="银发护河", team=team_b)
    with pytest.raises(ValidationError) as error:
        services.record_create(team=team_a, project=project, served_on=DAY, kind="patrol")
    assert "project" in _errors(error)


def test_a_chiefs_record_may_carry_the_project_of_the_posts_team(post_a, team_a):
    project = services.project_create(name="银发护河", team=team_a)
    record = services.record_create(chief_post=post_a, project=project, served_on=DAY, kind="patrol")
    assert record.project == project


def test_a_dissolved_team_records_nothing_after_it_was_dissolved(team_a):
    team = services.team_update(team=team_a, dissolved_on=dt.date(2026, 7, 15))
    with pytest.raises(ValidationError) as error:
        services.record_create(team=team, served_on=dt.date(2026, 7, 20), kind="other")
    assert "served_on" in _errors(error)


def test_deleting_a_record_deletes_its_photo_files_on_commit(team_a):
    record = services.record_create(team=team_a, served_on=DAY, kind="care_visit")
    [photo] = services.record_add_photos(record=record, files=[jpeg()])
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    assert all(storage.exists(name) for name in names)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.record_delete(record=record)
    assert not ServiceRecordPhoto.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_one_bad_photo_stores_none(team_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    record = services.record_create(team=team_a, served_on=DAY, kind="care_visit")
    bad = SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.record_add_photos(record=record, files=[jpeg(), bad])
    assert not ServiceRecordPhoto.objects.exists()


def test_a_deceased_cadre_cannot_be_appointed(river_a):
    cadre = CadreFactory(deceased_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.chief_appoint(cadre=cadre, patrol_area=river_a, appointed_on=timezone.localdate())
    assert "cadre" in _errors(error)
