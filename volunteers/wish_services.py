"""Writes on micro-wishes (微心愿): posted → claimed → fulfilled, or withdrawn.

Two people may press "claim" on the same wish at the same moment. The claim is one conditional
UPDATE (… WHERE status = 'posted'): the database lets exactly one of them change the row, and the
other learns who was first.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import clean_photo
from volunteers.models import MicroWish

_CLAIMANT_FIELDS = ("claimed_by_branch", "claimed_by_team", "claimed_by_cadre")


def _future(day: dt.date | None) -> bool:
    return day is not None and day > timezone.localdate()


@transaction.atomic
def wish_post(
    *, beneficiary, wish: str, posted_on: dt.date, posted_by=None, details: str = "", area=None
) -> MicroWish:
    """Post a needy elder's wish; it is offered where the elder lives unless `area` says otherwise."""
    errors = {}
    if _future(posted_on):
        errors["posted_on"] = _("A wish cannot be posted with a date in the future.")
    if beneficiary.deceased_on is not None:
        errors["beneficiary"] = _("%(name)s died on %(date)s.") % {
            "name": beneficiary.name,
            "date": beneficiary.deceased_on,
        }
    if errors:
        raise ValidationError(errors)
    micro_wish = MicroWish(
        beneficiary=beneficiary,
        wish=wish,
        details=details,
        area=area if area is not None else beneficiary.area,
        posted_on=posted_on,
        posted_by=posted_by,
    )
    micro_wish.full_clean()
    micro_wish.save()
    return micro_wish


def _claimant_name(wish: MicroWish) -> str:
    claimant = wish.claimant
    return claimant.name if claimant is not None else ""


def _taken_error(wish: MicroWish) -> ValidationError:
    """Why a wish can no longer be claimed, naming who was first."""
    if wish.status == MicroWish.Status.WITHDRAWN:
        return ValidationError(_("This wish was withdrawn on %(date)s.") % {"date": wish.withdrawn_on})
    return ValidationError(
        _("This wish was already claimed by %(claimant)s on %(date)s.")
        % {"claimant": _claimant_name(wish), "date": wish.claimed_on},
        code="already_claimed",
    )


@transaction.atomic
def wish_claim(
    *, wish: MicroWish, claimed_on: dt.date, claimed_by_user=None, branch=None, team=None, cadre=None
) -> MicroWish:
    """Claim a posted wish for exactly one of a branch, a team or a cadre volunteer.

    Race-safe: of two claims at the same moment exactly one changes the row; the other raises a
    ValidationError naming the claimant who was first.
    """
    claimants = [claimant for claimant in (branch, team, cadre) if claimant is not None]
    if len(claimants) != 1:
        raise ValidationError({"claimant": _("Name exactly one claimant: a branch, a team or a volunteer.")})
    errors = {}
    if _future(claimed_on):
        errors["claimed_on"] = _("The claim date cannot be in the future.")
    elif claimed_on < wish.posted_on:
        errors["claimed_on"] = _("The wish was posted on %(date)s; it cannot be claimed before.") % {
            "date": wish.posted_on
        }
    if team is not None and team.dissolved_on is not None:
        errors["team"] = _("The team was dissolved on %(date)s.") % {"date": team.dissolved_on}
    if branch is not None and branch.dissolved_on is not None:
        errors["branch"] = _("The branch was dissolved on %(date)s.") % {"date": branch.dissolved_on}
    if cadre is not None and cadre.deceased_on is not None:
        errors["cadre"] = _("%(name)s died on %(date)s.") % {"name": cadre.name, "date": cadre.deceased_on}
    if errors:
        raise ValidationError(errors)
    if wish.status != MicroWish.Status.POSTED:
        raise _taken_error(wish)
    claimed = {
        "status": MicroWish.Status.CLAIMED,
        "claimed_by_branch": branch,
        "claimed_by_team": team,
        "claimed_by_cadre": cadre,
        "claimed_on": claimed_on,
        "claimed_by_user": claimed_by_user,
    }
    # Validate the claimed row as it will be, then write it only if nobody claimed it meanwhile.
    candidate = MicroWish.objects.get(pk=wish.pk)
    for name, value in claimed.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["evidence_photo", "evidence_thumbnail"])
    won = MicroWish.objects.filter(pk=wish.pk, status=MicroWish.Status.POSTED).update(
        **claimed, updated_at=timezone.now()
    )
    if not won:
        raise _taken_error(MicroWish.objects.select_related(*_CLAIMANT_FIELDS).get(pk=wish.pk))
    return MicroWish.objects.select_related(*_CLAIMANT_FIELDS).get(pk=wish.pk)


@transaction.atomic
def wish_fulfil(*, wish: MicroWish, fulfilled_on: dt.date, feedback: str = "", photo=None) -> MicroWish:
    """Mark a claimed wish fulfilled on `fulfilled_on`, with the elder's feedback and a photo as evidence."""
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    if wish.status != MicroWish.Status.CLAIMED:
        raise ValidationError(
            _("Only a claimed wish can be fulfilled; this one is %(status)s.")
            % {"status": wish.get_status_display()}
        )
    errors = {}
    if _future(fulfilled_on):
        errors["fulfilled_on"] = _("The fulfilment date cannot be in the future.")
    elif fulfilled_on < wish.claimed_on:
        errors["fulfilled_on"] = _("The wish was claimed on %(date)s; it cannot be fulfilled before.") % {
            "date": wish.claimed_on
        }
    if errors:
        raise ValidationError(errors)
    cleaned = clean_photo(photo) if photo is not None else None
    wish.status = MicroWish.Status.FULFILLED
    wish.fulfilled_on = fulfilled_on
    wish.feedback = feedback
    wish.full_clean(exclude=["evidence_photo", "evidence_thumbnail"])
    storage = MicroWish._meta.get_field("evidence_photo").storage
    written = []
    try:
        if cleaned is not None:
            full, thumb = cleaned
            wish.evidence_photo.save(full.name, full, save=False)
            written.append(wish.evidence_photo.name)
            wish.evidence_thumbnail.save(thumb.name, thumb, save=False)
            written.append(wish.evidence_thumbnail.name)
        wish.save()
    except Exception:
        for name in written:  # no row points at these files
            storage.delete(name)
        raise
    return wish


@transaction.atomic
def wish_withdraw(*, wish: MicroWish, reason: str, withdrawn_on: dt.date) -> MicroWish:
    """Withdraw a wish that is no longer wanted (or can no longer be met), with the reason."""
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    if wish.status not in (MicroWish.Status.POSTED, MicroWish.Status.CLAIMED):
        raise ValidationError(
            _("A %(status)s wish cannot be withdrawn.") % {"status": wish.get_status_display()}
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the wish is withdrawn.")
    if _future(withdrawn_on):
        errors["withdrawn_on"] = _("The date cannot be in the future.")
    elif withdrawn_on < wish.posted_on:
        errors["withdrawn_on"] = _("The wish was posted on %(date)s.") % {"date": wish.posted_on}
    if errors:
        raise ValidationError(errors)
    wish.status = MicroWish.Status.WITHDRAWN
    wish.withdrawn_on = withdrawn_on
    wish.withdrawal_reason = reason.strip()
    wish.full_clean(exclude=["evidence_photo", "evidence_thumbnail"])
    wish.save()
    return wish
