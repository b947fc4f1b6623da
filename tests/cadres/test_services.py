import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from branches.models import BranchMembership
from cadres.models import Cadre
from cadres.services import cadre_create, cadre_update
from core import idcard
from tests.factories import CadreFactory, valid_id_number

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    born = dt.date(1945, 8, 1)
    fields = {
        "name": "赵国庆",
        "sex": "M",
        "birth_date": born,
        "id_number": valid_id_number(born, "M"),
        "retirement_type": Cadre.RetirementType.TUIXIU,
    }
    fields.update(overrides)
    return fields


def test_it_registers_a_cadre_as_a_member_of_the_branch(branch_a):
    cadre = cadre_create(branch=branch_a, joined_on=dt.date(2021, 3, 1), **_fields())
    assert cadre.branch == branch_a
    membership = BranchMembership.objects.get(cadre=cadre)
    assert (membership.branch, membership.joined_on, membership.left_on) == (
        branch_a,
        dt.date(2021, 3, 1),
        None,
    )


def test_it_normalises_the_id_number(db):
    number = valid_id_number(dt.date(1945, 8, 1), "M")
    spaced = f" {number[:6]} {number[6:].lower()} "
    cadre = cadre_create(**_fields(id_number=spaced))
    assert cadre.id_number == number


def test_it_refuses_a_wrong_check_digit_with_the_expected_character(db):
    number = valid_id_number(dt.date(1945, 8, 1), "M")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        cadre_create(**_fields(id_number=wrong))
    assert number[17] in error.value.message_dict["id_number"][0]
    assert not Cadre.objects.exists()


def test_it_refuses_a_birth_date_that_disagrees_with_the_id(db):
    with pytest.raises(ValidationError) as error:
        cadre_create(**_fields(birth_date=dt.date(1945, 8, 2)))
    assert "1945-08-01" in error.value.message_dict["birth_date"][0]


def test_it_refuses_a_sex_that_disagrees_with_the_id(db):
    with pytest.raises(ValidationError) as error:
        cadre_create(**_fields(sex="F"))
    assert "sex" in error.value.message_dict


def test_it_refuses_a_duplicate_id_number(db):
    first = cadre_create(**_fields())
    with pytest.raises(ValidationError) as error:
        cadre_create(**_fields(name="另一人", id_number=first.id_number))
    assert "id_number" in error.value.message_dict
    assert Cadre.objects.count() == 1


def test_it_refuses_unknown_five_elders_tags(db):
    with pytest.raises(ValidationError) as error:
        cadre_create(**_fields(five_elders=["teacher", "astronaut"]))
    assert "astronaut" in error.value.message_dict["five_elders"][0]


def test_it_updates_fields_but_not_the_branch(branch_a, branch_b):
    cadre = CadreFactory(branch=branch_a)
    cadre_update(cadre=cadre, phone="13900000000", special_hardship=True)
    cadre.refresh_from_db()
    assert (cadre.phone, cadre.special_hardship, cadre.branch) == ("13900000000", True, branch_a)


def test_it_makes_ids_that_match_the_factorys_birth_date_and_sex(db):
    cadre = CadreFactory(sex="F", birth_date=dt.date(1932, 2, 29))
    assert idcard.birth_date_of(cadre.id_number) == dt.date(1932, 2, 29)
    assert idcard.sex_of(cadre.id_number) == "F"
