"""Writes on the cadre registry."""

import datetime as dt
import re

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from auditlog.signals import accessed
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Branch
from branches.services import membership_transfer
from cadres.exports import roster_import_workbook
from cadres.models import Cadre
from core import idcard
from core.masking import mask_id_number

FULL_ID_PERMISSION = "cadres.view_full_id_number"
# A filter value shaped like an ID number (the list's search takes one): masked in the log.
_ID_LIKE = re.compile(r"^[0-9]{17}[0-9X]$")


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


def cadre_roster_export(*, user, cadres, filters: dict) -> bytes:
    """The cadres as the roster import's .xlsx with full ID numbers; one audit-log entry records
    who downloaded it, when, how many rows and under which filter.

    `cadres` is the list as `user` sees it, scoped and filtered (cadres.selectors.cadre_roster
    through cadres.filters.CadreFilter); `filters` the values that filter applied.
    """
    if not user.has_perm(FULL_ID_PERMISSION):
        raise PermissionDenied
    content, count = roster_import_workbook(cadres, user=user)
    log_full_id_export(
        user=user,
        description=_("Roster for re-import, with full ID numbers"),
        row_count=count,
        filters=_loggable_filter(filters),
    )
    return content


def log_full_id_export(*, user, description: str, row_count: int, filters: str = "") -> None:
    """Record that `user` downloaded `row_count` records with full ID numbers.

    Like a reveal on a cadre's page (cadre_log_full_id_view), an access to cadres; here to many
    at once, so the entry names no one cadre but says what, how many and under which filter.
    """
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Cadre),
        object_pk="",
        object_repr=description[:200],
        action=LogEntry.Action.ACCESS,
        actor=user,
        changes={"row_count": [None, str(row_count)], "filter": [None, filters]},
        cid=get_cid(),
    )


def _loggable_filter(filters: dict) -> str:
    """The filter's values as the log keeps them, readable ("branch=市城管局离退休干部党支部&status=living"),
    with an ID number searched for masked, as everywhere in the log."""
    params = []
    for name, value in filters.items():
        if value in (None, ""):
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if _ID_LIKE.match(idcard.normalize(text)):
            text = mask_id_number(idcard.normalize(text))
        params.append(f"{name}={text}")
    return "&".join(params)
