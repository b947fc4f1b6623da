"""seed_demo leaves a registry in use alone (a module of its own: the demo tests share a seeded database)."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from cadres.models import Cadre
from tests.factories import CadreFactory


def test_it_refuses_to_mix_demo_data_into_a_registry_in_use(db):
    CadreFactory()
    output = io.StringIO()

    call_command("seed_demo", cadres=200, seed=1, stdout=output)

    assert "no demo data was loaded" in output.getvalue()
    assert Cadre.objects.count() == 1
    assert not get_user_model().objects.filter(username="demo_admin").exists()
