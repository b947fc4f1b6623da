"""Writes on the cadre registry."""

import datetime as dt

from auditlog.signals import accessed
from django.db import transaction

from branches.models import Branch
from branches.services import membership_transfer
from cadres.models import Cadre
from core import idcard


@transaction.atomic
def cadre_create(*, branch: Branch | None = None, joined_on: dt.date | None = None, **fields) -> Cadre:
    """Register a cadre and, when a branch is given, make them a member of it from `joined_on`."""
    if "id_number" in fields:
        fields["id_number"] = idcard.normalize(fields["id_number"])
    cadre = Cadre(**fields)
    cadre.full_clean()
    cadre.save()
    if branch is not None:
        membership_transfer(cadre=cadre, branch=branch, on=joined_on or dt.date.today())
        cadre.refresh_from_db(fields=["branch"])
    return cadre


@transaction.atomic
def cadre_update(*, cadre: Cadre, **fields) -> Cadre:
    """Change a cadre's registry fields; the branch changes only through a transfer."""
    if "id_number" in fields:
        fields["id_number"] = idcard.normalize(fields["id_number"])
    for name, value in fields.items():
        setattr(cadre, name, value)
    cadre.full_clean()
    cadre.save()
    return cadre


def cadre_log_full_id_view(*, cadre: Cadre) -> None:
    """Record in the audit log that the current user saw this cadre's unmasked ID number."""
    accessed.send(sender=Cadre, instance=cadre)
