import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Cadre
from core.masking import mask_id_number
from tests.factories import CadreFactory, valid_id_number

pytestmark = pytest.mark.django_db
LIST = reverse("cadres:cadre_list")


def _names(response):
    return {c.name for c in response.context["cadres"]}


def test_it_lists_only_the_secretarys_branch(cadre_a, cadre_b, secretary_a, client_as):
    response = client_as(secretary_a).get(LIST)
    assert response.status_code == 200
    assert _names(response) == {"王建国"}
    assert "李秀英" not in response.content.decode()


def test_it_masks_id_numbers_and_phones_in_the_list(cadre_a, staff_user, client_as):
    html = client_as(staff_user).get(LIST).content.decode()
    assert cadre_a.id_number not in html
    assert mask_id_number(cadre_a.id_number) in html
    assert cadre_a.phone not in html


def test_it_searches_by_name_prefix_and_by_full_id(cadre_a, cadre_b, staff_user, client_as):
    client = client_as(staff_user)
    assert _names(client.get(LIST, {"q": "王建"})) == {"王建国"}
    assert _names(client.get(LIST, {"q": "建国"})) == set()
    assert _names(client.get(LIST, {"q": cadre_b.id_number.lower()})) == {"李秀英"}


def test_it_filters_by_branch_subtree_retirement_age_and_party(
    committee, branch_a, branch_b, staff_user, client_as
):
    today = dt.date.today()
    CadreFactory(
        name="甲",
        branch=branch_a,
        birth_date=dt.date(today.year - 85, 1, 1),
        retirement_type="lixiu",
        party_join_date=dt.date(1948, 7, 1),
    )
    CadreFactory(name="乙", branch=branch_b, birth_date=dt.date(today.year - 72, 1, 1))
    client = client_as(staff_user)
    assert _names(client.get(LIST, {"branch": committee.pk})) == {"甲", "乙"}
    assert _names(client.get(LIST, {"branch": branch_b.pk})) == {"乙"}
    assert _names(client.get(LIST, {"retirement_type": "lixiu"})) == {"甲"}
    assert _names(client.get(LIST, {"age_band": "80_89"})) == {"甲"}
    assert _names(client.get(LIST, {"age_band": "70_79"})) == {"乙"}
    assert _names(client.get(LIST, {"party_member": "true"})) == {"甲"}
    assert _names(client.get(LIST, {"party_member": "false"})) == {"乙"}


def test_it_hides_the_deceased_unless_asked(branch_a, staff_user, client_as):
    CadreFactory(name="故人", branch=branch_a, deceased_on=dt.date(2024, 1, 1))
    client = client_as(staff_user)
    assert _names(client.get(LIST)) == set()
    assert _names(client.get(LIST, {"status": "deceased"})) == {"故人"}


def test_it_refuses_a_branch_filter_outside_the_secretarys_scope(
    cadre_a, cadre_b, branch_b, secretary_a, client_as
):
    response = client_as(secretary_a).get(LIST, {"branch": branch_b.pk})
    assert response.status_code == 200
    assert "李秀英" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "x"},
        {"per_page": "-3"},
        {"branch": "abc"},
        {"age_band": "999"},
        {"q": "%%%"},
        {"area": "99999"},
        {"page": "100000"},
    ],
)
def test_it_survives_malformed_parameters(cadre_a, staff_user, client_as, params):
    assert client_as(staff_user).get(LIST, params).status_code == 200


def _queries_for(client, params):
    client.get(LIST, params)  # warm the cached select choices, as in service
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, params).status_code == 200
    return len(ctx)


def test_it_runs_the_same_number_of_queries_for_20_and_100_rows(committee, branch_a, staff_user, client_as):
    for n in range(120):
        CadreFactory(name=f"李{n}", branch=branch_a)
    client = client_as(staff_user)
    assert _queries_for(client, {"per_page": 20}) == _queries_for(client, {"per_page": 100})
    assert _queries_for(client, {"per_page": 20, "branch": committee.pk, "q": "李"}) == _queries_for(
        client, {"per_page": 100, "branch": committee.pk, "q": "李"}
    )


def test_detail_shows_a_masked_id_until_revealed(cadre_a, staff_user, client_as):
    client = client_as(staff_user)
    url = reverse("cadres:cadre_detail", args=[cadre_a.pk])
    assert cadre_a.id_number not in client.get(url).content.decode()
    assert cadre_a.id_number in client.get(url, {"reveal": "id_number"}).content.decode()


def test_detail_masks_the_phone_for_a_role_without_the_right(cadre_a, auditor, client_as):
    html = client_as(auditor).get(reverse("cadres:cadre_detail", args=[cadre_a.pk])).content.decode()
    assert cadre_a.phone not in html
    assert "138****5678" in html


def _form_data(branch, **overrides):
    born = dt.date(1944, 10, 1)
    data = {
        "name": "钱学文",
        "sex": "M",
        "ethnicity": "汉族",
        "id_number": valid_id_number(born, "M"),
        "birth_date": born.isoformat(),
        "birthday_calendar": "lunar",
        "retirement_type": "tuixiu",
        "branch": branch.pk,
        "joined_on": "2020-01-01",
        "five_elders": ["teacher"],
    }
    data.update(overrides)
    return data


def test_staff_create_a_cadre_in_a_branch(branch_a, staff_user, client_as):
    response = client_as(staff_user).post(reverse("cadres:cadre_create"), _form_data(branch_a))
    cadre = Cadre.objects.get(name="钱学文")
    assert response.status_code == 302
    assert (cadre.branch, cadre.five_elders, cadre.birthday_calendar) == (branch_a, ["teacher"], "lunar")


def test_a_bad_id_is_shown_beside_the_field_and_nothing_is_saved(branch_a, staff_user, client_as):
    data = _form_data(branch_a, id_number="110105194912310021")
    response = client_as(staff_user).post(reverse("cadres:cadre_create"), data)
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "钱学文"  # nothing typed is lost
    assert not Cadre.objects.filter(name="钱学文").exists()


def test_a_secretary_cannot_create_cadres(branch_a, secretary_a, client_as):
    response = client_as(secretary_a).post(reverse("cadres:cadre_create"), _form_data(branch_a))
    assert response.status_code == 403
    assert not Cadre.objects.filter(name="钱学文").exists()


def test_a_secretary_edits_without_seeing_or_changing_the_id(cadre_a, secretary_a, client_as):
    client = client_as(secretary_a)
    url = reverse("cadres:cadre_update", args=[cadre_a.pk])
    page = client.get(url)
    assert "id_number" not in page.context["form"].fields
    assert cadre_a.id_number not in page.content.decode()
    response = client.post(
        url,
        {
            "name": "王建国",
            "ethnicity": "汉族",
            "birthday_calendar": "solar",
            "retirement_type": "tuixiu",
            "phone": "13700001111",
            "id_number": "110105194912310021",
        },
    )
    assert response.status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.phone == "13700001111"
    assert cadre_a.id_number != "110105194912310021"


def test_staff_transfer_a_cadre(cadre_a, branch_b, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("cadres:cadre_transfer", args=[cadre_a.pk]), {"branch": branch_b.pk, "on": "2025-01-01"}
    )
    assert response.status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.branch == branch_b


def test_a_secretary_cannot_transfer(cadre_a, branch_a, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("cadres:cadre_transfer", args=[cadre_a.pk]), {"branch": branch_a.pk, "on": "2025-01-01"}
    )
    assert response.status_code == 403
