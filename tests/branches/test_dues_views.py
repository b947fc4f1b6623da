import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.record_services import dues_record
from branches.records import DuesPayment
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_a_secretary_records_monthly_dues_and_the_month_leaves_the_arrears(branch_a, secretary_a, client_as):
    member = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    client = client_as(secretary_a)
    url = reverse("branches:dues_ledger", args=[branch_a.pk])
    today = timezone.localdate()
    before = {c.pk: months for c, months in client.get(url).context["rows"]}
    this_month = today.replace(day=1)
    assert this_month in before[member.pk]
    response = client.post(
        url,
        {
            "cadre": member.pk,
            "kind": "monthly",
            "month": f"{today:%Y-%m}",
            "amount": "12.50",
            "paid_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert (payment.amount, payment.month) == (Decimal("12.50"), this_month)
    after = {c.pk: months for c, months in client.get(url).context["rows"]}
    assert this_month not in after[member.pk]


def test_monthly_dues_without_a_month_are_a_form_error(branch_a, secretary_a, client_as):
    member = CadreFactory(branch=branch_a)
    response = client_as(secretary_a).post(
        reverse("branches:dues_ledger", args=[branch_a.pk]),
        {"cadre": member.pk, "kind": "monthly", "amount": "10", "paid_on": dt.date.today().isoformat()},
    )
    assert "month" in response.context["form"].errors
    assert not DuesPayment.objects.exists()


def test_dues_of_another_branchs_member_are_refused(branch_a, cadre_b, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("branches:dues_ledger", args=[branch_a.pk]),
        {"cadre": cadre_b.pk, "kind": "special", "amount": "1000", "paid_on": dt.date.today().isoformat()},
    )
    assert "cadre" in response.context["form"].errors
    assert not DuesPayment.objects.exists()


def test_the_service_refuses_dues_from_someone_not_in_the_branch(branch_a, cadre_b):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        dues_record(
            branch=branch_a, cadre=cadre_b, amount=Decimal("10"), paid_on=dt.date.today(), kind="special"
        )


def test_the_ledger_totals_the_year(branch_a, staff_user, client_as):
    member = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    dues_record(
        branch=branch_a,
        cadre=member,
        amount=Decimal("10"),
        paid_on=dt.date(2025, 3, 1),
        month=dt.date(2025, 3, 1),
    )
    dues_record(
        branch=branch_a, cadre=member, amount=Decimal("500"), paid_on=dt.date(2025, 7, 1), kind="large"
    )
    response = client_as(staff_user).get(reverse("branches:dues_ledger", args=[branch_a.pk]), {"year": 2025})
    assert response.context["total"] == Decimal("510")
    assert response.status_code == 200


def test_an_auditor_reads_but_cannot_record(branch_a, auditor, client_as):
    member = CadreFactory(branch=branch_a)
    client = client_as(auditor)
    url = reverse("branches:dues_ledger", args=[branch_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"cadre": member.pk, "kind": "special", "amount": "5", "paid_on": dt.date.today().isoformat()}
    )
    assert response.status_code == 403
    assert not DuesPayment.objects.exists()
