"""Running the rules into the ledger, and marking reminders done."""

import datetime as dt
import logging
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role, User
from reminders import rules
from reminders.models import Reminder

logger = logging.getLogger(__name__)
SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 1000

Rule = Reminder.Rule

# rule → function(on) giving a queryset of cadres due on that day.
CADRE_RULES = {
    Rule.BIRTHDAY: rules.solar_birthdays,
    Rule.LUNAR_BIRTHDAY: rules.lunar_birthdays,
    Rule.MILESTONE_BIRTHDAY: rules.milestone_birthdays,
    Rule.POLITICAL_BIRTHDAY: rules.political_birthdays,
    Rule.MEDAL_50_YEARS: rules.medal_due,
}


def today_in_shanghai() -> dt.date:
    return timezone.now().astimezone(SHANGHAI).date()


def _recipients(branch_ids: set[int]) -> tuple[dict[int, list[int]], list[int]]:
    """(secretaries by branch, bureau staff): the first answer for a branch, the second otherwise."""
    secretaries = defaultdict(list)
    for branch_id, user_id in User.objects.filter(
        role=Role.BRANCH_SECRETARY, is_active=True, branch_id__in=branch_ids
    ).values_list("branch_id", "id"):
        secretaries[branch_id].append(user_id)
    staff = list(User.objects.filter(role=Role.BUREAU_STAFF, is_active=True).values_list("id", flat=True))
    return secretaries, staff


def _due_rows(rule: str, on: dt.date) -> list[tuple[int, int | None, int | None, dt.date]]:
    """(cadre id, branch id, officer id, occasion date) of everyone `rule` makes due on `on`."""
    if rule == Rule.OFFICER_TERM_END:
        return [
            (cadre_id, branch_id, officer_id, term_end)
            for officer_id, cadre_id, branch_id, term_end in rules.officer_terms_ending(on=on).values_list(
                "id", "cadre_id", "branch_id", "term_end"
            )
        ]
    return [
        (cadre_id, branch_id, None, on)
        for cadre_id, branch_id in CADRE_RULES[rule](on=on).values_list("id", "branch_id")
    ]


def _record_milestone_visits(cadre_ids: list[int], on: dt.date) -> None:
    """A milestone birthday makes a visit due (六必访): through benefits, when that app has it."""
    try:
        from benefits.models import Occasion
        from benefits.services import occasion_record
    except ImportError:
        return
    from cadres.models import Cadre

    for cadre in Cadre.objects.filter(pk__in=cadre_ids):
        occasion_record(cadre=cadre, kind=Occasion.Kind.MILESTONE_BIRTHDAY, occurred_on=on)


@transaction.atomic
def run_reminders(*, on: dt.date) -> dict[str, int]:
    """Write the reminders every rule makes due on `on`; return the number of new ones per rule.

    Safe to repeat: the ledger's unique constraint and ignore_conflicts make a second run,
    a retried task or a second beat insert nothing.
    """
    counts = {}
    for rule in Rule.values:
        rows = _due_rows(rule, on)
        secretaries, staff = _recipients({branch_id for _c, branch_id, _o, _d in rows if branch_id})
        reminders = [
            Reminder(
                rule=rule,
                cadre_id=cadre_id,
                officer_id=officer_id,
                occasion_date=occasion,
                due_on=on,
                recipient_id=user,
            )
            for cadre_id, branch_id, officer_id, occasion in rows
            for user in secretaries.get(branch_id) or staff
        ]
        before = Reminder.objects.filter(rule=rule, due_on=on).count()
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True, batch_size=BATCH)
        counts[rule] = Reminder.objects.filter(rule=rule, due_on=on).count() - before
        if rule == Rule.MILESTONE_BIRTHDAY and rows:
            _record_milestone_visits([cadre_id for cadre_id, *_rest in rows], on)
    logger.info("Reminders for %s: %s", on, counts)
    return counts


@transaction.atomic
def reminder_mark_done(*, reminder: Reminder, user: User) -> Reminder:
    if reminder.recipient_id != user.pk:
        raise ValidationError({"recipient": _("Only the reminder's recipient can mark it done.")})
    if reminder.done_at is None:
        reminder.done_at = timezone.now()
        reminder.done_by = user
        reminder.full_clean()
        reminder.save(update_fields=["done_at", "done_by"])
    return reminder


@transaction.atomic
def send_digests(*, on: dt.date) -> int:
    """E-mail each recipient (with an address) one digest of their open reminders not yet
    e-mailed, due by `on`; returns the number of messages. The reminders are claimed in the
    same transaction (skip_locked: a second run running alongside takes none of them), so a
    retried or duplicated run sends nothing twice; the mail goes out after the commit."""
    claimed = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(notified_at__isnull=True, done_at__isnull=True, due_on__lte=on, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("cadre", "recipient")
        .order_by("recipient_id", "due_on", "rule", "id")
    )
    if not claimed:
        return 0
    Reminder.objects.filter(pk__in=[reminder.pk for reminder in claimed]).update(notified_at=timezone.now())
    by_recipient = defaultdict(list)
    for reminder in claimed:
        by_recipient[reminder.recipient].append(reminder)
    messages = []
    for user, reminders in by_recipient.items():
        subject = ngettext(
            "%(count)d reminder for %(date)s", "%(count)d reminders for %(date)s", len(reminders)
        ) % {"count": len(reminders), "date": on.isoformat()}
        lines = [
            f"{reminder.occasion_date:%Y-%m-%d}  {reminder.get_rule_display()}  {reminder.cadre.name}"
            for reminder in reminders
        ]
        messages.append(mail.EmailMessage(subject, "\n".join(lines), to=[user.email]))
    transaction.on_commit(lambda: mail.get_connection().send_messages(messages))
    return len(messages)
