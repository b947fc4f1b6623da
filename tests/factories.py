"""factory_boy factories shared by every app's tests; they go through the services."""

import datetime as dt
import itertools

import factory

from accounts.models import Role, User
from accounts.services import user_set_role
from branches.models import Area, Branch
from branches.services import area_create, branch_create
from cadres.models import Cadre
from cadres.services import cadre_create
from core import idcard

_sequence = itertools.count(1)


def valid_id_number(born: dt.date = dt.date(1950, 3, 14), sex: str = "M", region: str = "110101") -> str:
    return idcard.make_id_number(region, born, next(_sequence), sex)


class AreaFactory(factory.Factory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"测试社区{n}")
    kind = Area.Kind.COMMUNITY
    parent = None

    @classmethod
    def _create(cls, model_class, *, parent=None, **kwargs):
        return area_create(parent=parent, **kwargs)


class BranchFactory(factory.Factory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"市第{n}局离退休干部党支部")
    kind = Branch.Kind.BRANCH
    parent = None

    @classmethod
    def _create(cls, model_class, *, parent=None, **kwargs):
        return branch_create(parent=parent, **kwargs)


class CadreFactory(factory.Factory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"张{n}")
    sex = "M"
    birth_date = dt.date(1950, 3, 14)
    id_number = factory.LazyAttribute(lambda o: valid_id_number(o.birth_date, o.sex))
    retirement_type = Cadre.RetirementType.TUIXIU
    phone = "13812345678"
    branch = None
    joined_on = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return cadre_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")
    role = Role.BUREAU_STAFF
    branch = None

    @factory.post_generation
    def sync_role(obj, create, extracted, **kwargs):
        if create:
            user_set_role(user=obj, role=obj.role, branch=obj.branch, volunteer_team=obj.volunteer_team)


# volunteers


class VolunteerTeamFactory(factory.Factory):
    class Meta:
        model = "volunteers.VolunteerTeam"

    name = factory.Sequence(lambda n: f"银发志愿服务第{n}小队")
    level = "squad"
    parent = None

    @classmethod
    def _create(cls, model_class, *, parent=None, **kwargs):
        from volunteers.services import team_create

        return team_create(parent=parent, **kwargs)


class PatrolAreaFactory(factory.Factory):
    class Meta:
        model = "volunteers.PatrolArea"

    kind = "river"
    name = factory.Sequence(lambda n: f"车路河第{n}段")
    area = factory.SubFactory(AreaFactory)

    @classmethod
    def _create(cls, model_class, **kwargs):
        from volunteers.services import patrol_area_create

        return patrol_area_create(**kwargs)


# outreach


class LectureGroupFactory(factory.Factory):
    class Meta:
        model = "outreach.LectureGroup"

    name = factory.Sequence(lambda n: f"银发宣讲团第{n}分团")
    level = "city"
    branch = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        from outreach.services import group_create

        return group_create(**kwargs)


class LecturerFactory(factory.Factory):
    class Meta:
        model = "outreach.Lecturer"

    cadre = factory.SubFactory(CadreFactory)
    category = "old_cadre"
    topics = factory.LazyFunction(lambda: ["party_history"])

    @classmethod
    def _create(cls, model_class, **kwargs):
        from outreach.services import lecturer_create

        return lecturer_create(**kwargs)


class TalkEventFactory(factory.Factory):
    """A talk; without `lecturers`, one new lecturer (who joins `group` first, when one is given)."""

    class Meta:
        model = "outreach.TalkEvent"

    group = None
    lecturers = None
    held_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=10))
    topic = "party_history"
    title = factory.Sequence(lambda n: f"传承红色基因 第{n}讲")
    venue_type = "school"
    audience = 120
    youth_audience = 100

    @classmethod
    def _create(cls, model_class, *, lecturers=None, group=None, **kwargs):
        from outreach.services import group_member_add, talk_record

        if lecturers is None:
            cadre = CadreFactory(branch=group.branch if group is not None and group.branch else None)
            lecturers = [LecturerFactory(cadre=cadre)]
            if group is not None:
                group_member_add(group=group, lecturer=lecturers[0], joined_on=dt.date(2020, 1, 1))
        return talk_record(group=group, lecturers=lecturers, **kwargs)
