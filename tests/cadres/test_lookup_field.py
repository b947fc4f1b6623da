"""Picking a cadre by typing: within what the user may see, namesakes told apart by number."""

import pytest
from django import forms

from cadres.forms import CadreLookupField
from cadres.models import Cadre
from cadres.selectors import cadre_visible
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def field_for(user):
    return CadreLookupField(queryset=cadre_visible(user=user), required=False)


def test_a_unique_name_an_id_number_and_a_registry_number_each_find_the_cadre(cadre_a, secretary_a):
    field = field_for(secretary_a)
    assert field.clean("王建国") == cadre_a
    assert field.clean(cadre_a.id_number.lower()) == cadre_a
    assert field.clean(f"#{cadre_a.pk}") == cadre_a
    assert field.clean(f"王建国 #{cadre_a.pk}") == cadre_a
    assert field.clean(str(cadre_a.pk)) == cadre_a
    assert field.clean("  ") is None


def test_namesakes_are_listed_with_their_numbers(branch_a, secretary_a):
    first, second = CadreFactory(name="张伟", branch=branch_a), CadreFactory(name="张伟", branch=branch_a)
    with pytest.raises(forms.ValidationError) as error:
        field_for(secretary_a).clean("张伟")
    message = error.value.messages[0]
    assert f"#{first.pk}" in message and f"#{second.pk}" in message
    assert field_for(secretary_a).clean(f"张伟 #{second.pk}") == second


def test_a_cadre_outside_the_users_scope_is_not_found(cadre_b, secretary_a, staff_user):
    for text in ("李秀英", cadre_b.id_number, f"#{cadre_b.pk}"):
        with pytest.raises(forms.ValidationError):
            field_for(secretary_a).clean(text)
    assert field_for(staff_user).clean("李秀英") == cadre_b


def test_the_initial_value_shows_name_and_number(cadre_a, staff_user):
    field = field_for(staff_user)
    assert field.prepare_value(cadre_a.pk) == f"王建国 #{cadre_a.pk}"
    assert field.prepare_value(Cadre.objects.get(pk=cadre_a.pk)) == f"王建国 #{cadre_a.pk}"
