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
            user_set_role(user=obj, role=obj.role, branch=obj.branch)
