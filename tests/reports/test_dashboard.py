import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Branch
from reports.selectors import registry_summary
from tests.factories import BranchFactory, CadreFactory

TODAY = dt.date(2025, 6, 15)


def _cadre(branch, **fields):
    return CadreFactory(branch=branch, joined_on=dt.date(2020, 1, 1), **fields)


@pytest.fixture
def registry(branch_a, branch_b):
    """A small registry whose every count is known; ages and standings sit on the band edges."""
    # Age bands: born exactly 70, 80, 100 years before TODAY is in the higher band.
    _cadre(branch_a, birth_date=dt.date(1955, 6, 16))  # 69
    _cadre(branch_a, birth_date=dt.date(1955, 6, 15), sex="F")  # 70
    _cadre(branch_a, birth_date=dt.date(1945, 6, 16), lives_elsewhere=True)  # 79
    _cadre(branch_a, birth_date=dt.date(1945, 6, 15), special_hardship=True)  # 80
    _cadre(branch_b, birth_date=dt.date(1925, 6, 16), retirement_type="lixiu")  # 99
    _cadre(branch_b, birth_date=dt.date(1925, 6, 15), retirement_type="lixiu", sex="F")  # 100
    # Party standing: joined exactly 30 and 50 years before TODAY is in the higher band.
    _cadre(branch_b, birth_date=dt.date(1950, 1, 1), party_join_date=dt.date(1995, 6, 16))  # 29 years
    _cadre(branch_b, birth_date=dt.date(1950, 1, 1), party_join_date=dt.date(1995, 6, 15))  # 30 years
    _cadre(branch_b, birth_date=dt.date(1940, 1, 1), party_join_date=dt.date(1975, 6, 16))  # 49 years
    _cadre(branch_b, birth_date=dt.date(1940, 1, 1), party_join_date=dt.date(1975, 6, 15))  # 50 years
    # The deceased count only as deceased, whatever else is true of them.
    _cadre(
        branch_a,
        birth_date=dt.date(1930, 1, 1),
        retirement_type="lixiu",
        party_join_date=dt.date(1948, 1, 1),
        lives_elsewhere=True,
        special_hardship=True,
        deceased_on=dt.date(2024, 12, 1),
    )
    # Branches: dissolved ones and Party groups are not counted; temporary branches are.
    BranchFactory(name="老年大学临时党支部", kind=Branch.Kind.TEMPORARY, parent=branch_a)
    BranchFactory(name="第一党小组", kind=Branch.Kind.GROUP, parent=branch_a)
    BranchFactory(name="已撤销党支部", parent=branch_b, dissolved_on=dt.date(2024, 1, 1))


@pytest.mark.django_db
def test_it_counts_the_headline_figures(registry, staff_user):
    summary = registry_summary(user=staff_user, today=TODAY)

    assert {item.key: item.count for item in summary.headline} == {
        "living": 10,
        "lixiu": 2,
        "tuixiu": 8,
        "party_members": 4,
        "branches": 3,  # branch_a, branch_b and the temporary branch
        "lives_elsewhere": 1,
        "special_hardship": 1,
        "deceased": 1,
    }


@pytest.mark.django_db
def test_it_puts_ages_on_band_edges_in_the_higher_band(registry, staff_user):
    summary = registry_summary(user=staff_user, today=TODAY)

    # The edge cases above, plus the Party members born in 1950 (75) and 1940 (85).
    assert summary.distribution("age_band").counts() == {
        "under_70": 1,
        "70_79": 4,
        "80_89": 3,
        "90_99": 1,
        "100_plus": 1,
    }


@pytest.mark.django_db
def test_it_puts_party_standing_on_band_edges_in_the_higher_band(registry, staff_user):
    summary = registry_summary(user=staff_user, today=TODAY)

    assert summary.distribution("party_standing").counts() == {
        "not_member": 6,
        "under_30": 1,
        "30_49": 2,
        "50_plus": 1,
    }


@pytest.mark.django_db
def test_it_counts_sex_retirement_type_and_residence_of_the_living(registry, staff_user):
    summary = registry_summary(user=staff_user, today=TODAY)

    assert summary.distribution("sex").counts() == {"M": 8, "F": 2}
    assert summary.distribution("retirement_type").counts() == {"lixiu": 2, "tuixiu": 8}
    assert summary.distribution("lives_elsewhere").counts() == {"local": 9, "elsewhere": 1}
    assert all(distribution.total == 10 for distribution in summary.distributions)


@pytest.mark.django_db
def test_it_ages_a_29_february_birthday_on_the_28th_in_a_common_year(branch_a, staff_user):
    _cadre(branch_a, birth_date=dt.date(1954, 2, 28))  # 70 on 29 Feb 2024
    _cadre(branch_a, birth_date=dt.date(1954, 3, 1))  # still 69

    counts = registry_summary(user=staff_user, today=dt.date(2024, 2, 29)).distribution("age_band").counts()

    assert counts["under_70"] == 1
    assert counts["70_79"] == 1


@pytest.mark.django_db
def test_it_counts_only_the_secretarys_branch_subtree(registry, branch_a, secretary_a):
    sub_branch = BranchFactory(name="城管局第二党支部", parent=branch_a)
    _cadre(sub_branch, birth_date=dt.date(1950, 1, 1))

    summary = registry_summary(user=secretary_a, today=TODAY)

    # branch_a holds four living cadres and the deceased one; the sub-branch one more.
    assert summary.count("living") == 5
    assert summary.count("deceased") == 1
    assert summary.count("lixiu") == 0
    assert summary.count("party_members") == 0
    # branch_a, its temporary branch and the new sub-branch; not branch_b, not the Party group.
    assert summary.count("branches") == 3


@pytest.mark.django_db
def test_it_counts_nothing_for_a_user_without_a_role(registry, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x" * 12)

    summary = registry_summary(user=nobody, today=TODAY)

    assert all(item.count == 0 for item in summary.headline)


@pytest.mark.django_db
def test_it_renders_the_dashboard_in_chinese_by_default(registry, staff_user, client_as):
    response = client_as(staff_user).get(reverse("reports:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "secretary-mode" not in html
    assert 'id="dashboard-charts"' in html
    assert "chart.umd.min.js" in html
    assert "reports/dashboard.js" in html


@pytest.mark.django_db
def test_it_follows_the_language_the_user_chose(staff_user, client_as):
    client = client_as(staff_user)

    client.post(reverse("set_language"), {"language": "en", "next": reverse("reports:dashboard")})
    response = client.get(reverse("reports:dashboard"))

    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_it_renders_the_dashboard_for_a_secretary_in_large_type(registry, secretary_a, client_as):
    response = client_as(secretary_a).get(reverse("reports:dashboard"))

    assert response.status_code == 200
    assert "secretary-mode" in response.content.decode()


@pytest.mark.django_db
def test_it_sends_anonymous_users_to_the_login_page(client):
    url = reverse("reports:dashboard")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["staff_user", "secretary_a"])
def test_it_makes_as_many_queries_for_50_cadres_as_for_5(user_fixture, request, branch_a, client_as):
    user = request.getfixturevalue(user_fixture)
    client = client_as(user)
    url = reverse("reports:dashboard")

    def queries_with(cadres: int) -> int:
        while branch_a.cadres.count() < cadres:
            _cadre(branch_a, party_join_date=dt.date(1980, 7, 1))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_with(5) == queries_with(50)
