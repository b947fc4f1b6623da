"""Volunteer fixtures: a corps with a squad of branch a and a squad of branch b, a river for each,
cadre a and cadre b as their river chiefs, and a team leader for squad a."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from tests.factories import AreaFactory, PatrolAreaFactory, UserFactory, VolunteerTeamFactory
from volunteers.services import chief_appoint, membership_add

DAY = dt.date(2026, 7, 1)


@pytest.fixture
def district(db):
    return AreaFactory(name="兴化市", kind="district")


@pytest.fixture
def corps(db):
    return VolunteerTeamFactory(name="金秋志愿服务总队", level="corps", founded_on=dt.date(2020, 1, 1))


@pytest.fixture
def team_a(corps, branch_a, district):
    return VolunteerTeamFactory(
        name="城管局银发小队", level="squad", parent=corps, branch=branch_a, area=district, founded_on=DAY
    )


@pytest.fixture
def team_b(corps, branch_b):
    return VolunteerTeamFactory(
        name="教育局银发小队", level="squad", parent=corps, branch=branch_b, founded_on=DAY
    )


@pytest.fixture
def river_a(district):
    return PatrolAreaFactory(kind="river", name="车路河", area=district)


@pytest.fixture
def river_b(db):
    return PatrolAreaFactory(kind="river", name="海沟河", area=AreaFactory(name="昭阳街道"))


@pytest.fixture
def post_a(cadre_a, river_a, team_a):
    return chief_appoint(cadre=cadre_a, patrol_area=river_a, appointed_on=DAY, team=team_a)


@pytest.fixture
def post_b(cadre_b, river_b, team_b):
    return chief_appoint(cadre=cadre_b, patrol_area=river_b, appointed_on=DAY, team=team_b)


@pytest.fixture
def leader_a(team_a, cadre_a):
    """The leader of squad a; cadre a is its member."""
    membership_add(team=team_a, cadre=cadre_a, joined_on=DAY)
    return UserFactory(username="leader_a", role=Role.TEAM_LEADER, volunteer_team=team_a)


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
