"""Running the rules into the ledger, and marking reminders done."""

import datetime as dt
import logging
from collections import defaultdict
from typing import NamedTuple
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

# rule → function(on, until) giving the cadres whose occasion falls in [on, until], each
# annotated with its `occasion_date`; the birthday rules look ahead, the medal only on its day.
CADRE_RULES = {
    Rule.BIRTHDAY: rules.solar_birthdays,
    Rule.LUNAR_BIRTHDAY: rules.lunar_birthdays,
    Rule.MILESTONE_BIRTHDAY: rules.milestone_birthdays,
    Rule.POLITICAL_BIRTHDAY: rules.political_birthdays,
}


class Due(NamedTuple):
    """One person a rule makes due: whom it is about, for which occasion, and whom to tell."""

    cadre_id: int
    branch_id: int | None
    occasion_date: dt.date
    officer_id: int | None = None
    occasion_id: int | None = None
    assignment_id: int | None = None
    # The responsible user, told besides (visits: who recorded it) or instead of (contacts) the branch.
    responsible_id: int | None = None


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


def due_rows(rule: str, on: dt.date) -> list[Due]:
    """Everyone `rule` makes due on `on`: one query."""
    if rule in CADRE_RULES:
        until = on + dt.timedelta(days=rules.birthday_lead_days())
        return [
            Due(*row)
            for row in CADRE_RULES[rule](on=on, until=until).values_list("id", "branch_id", "occasion_date")
        ]
    if rule == Rule.MEDAL_50_YEARS:
        return [Due(*row) for row in rules.medal_due(on=on).values_list("id", "branch_id", "occasion_date")]
    if rule == Rule.OFFICER_TERM_END:
        return [
            Due(cadre_id, branch_id, term_end, officer_id=officer_id)
            for officer_id, cadre_id, branch_id, term_end in rules.officer_terms_ending(on=on).values_list(
                "id", "cadre_id", "branch_id", "term_end"
            )
        ]
    if rule in (Rule.VISIT_DUE, Rule.VISIT_OVERDUE):
        occasions = rules.visits_due(on=on) if rule == Rule.VISIT_DUE else rules.visits_overdue_on(on=on)
        date_field = "occurred_on" if rule == Rule.VISIT_DUE else "due_on"
        return [
            Due(cadre_id, branch_id, day, occasion_id=occasion_id, responsible_id=user_id if active else None)
            for occasion_id, cadre_id, branch_id, day, user_id, active in occasions.values_list(
                "id", "cadre_id", "cadre__branch_id", date_field, "recorded_by_id", "recorded_by__is_active"
            )
        ]
    if rule == Rule.CONTACT_OVERDUE:
        return [
            Due(
                cadre_id,
                branch_id,
                day,
                assignment_id=assignment_id,
                responsible_id=user_id if active else None,
            )
            for assignment_id, cadre_id, branch_id, day, user_id, active in rules.contacts_overdue_on(
                on=on
            ).values_list(
                "id", "cadre_id", "cadre__branch_id", "contact_due_on", "staff_id", "staff__is_active"
            )
        ]
    raise ValueError(f"Unknown rule {rule!r}")


def _recipients_of(rule: str, due: Due, secretaries: dict[int, list[int]], staff: list[int]) -> list[int]:
    """The contact's staff member alone; for the rest the branch's secretaries (and for a visit who
    recorded the occasion), else the bureau staff."""
    if rule == Rule.CONTACT_OVERDUE and due.responsible_id:
        return [due.responsible_id]
    users = list(secretaries.get(due.branch_id, []))
    if due.responsible_id and due.responsible_id not in users:
        users.append(due.responsible_id)
    return users or staff


def _record_milestone_visits(rows: list[Due], on: dt.date) -> None:
    """A milestone birthday on `on` makes a visit due (六必访); those still ahead wait for their day."""
    from benefits.models import Occasion
    from benefits.services import occasion_record
    from cadres.models import Cadre

    today = [due.cadre_id for due in rows if due.occasion_date == on]
    for cadre in Cadre.objects.filter(pk__in=today):
        occasion_record(cadre=cadre, kind=Occasion.Kind.MILESTONE_BIRTHDAY, occurred_on=on)


@transaction.atomic
def run_reminders(*, on: dt.date, only: list[str] | None = None) -> dict[str, int]:
    """Write the reminders every rule (or those named in `only`) makes due on `on`; return the
    number of new ones per rule.

    Safe to repeat: the ledger's unique constraints and ignore_conflicts make a second run,
    a retried task or a second beat insert nothing.
    """
    counts = {}
    for rule in only or Rule.values:
        rows = due_rows(rule, on)
        secretaries, staff = _recipients({due.branch_id for due in rows if due.branch_id})
        reminders = [
            Reminder(
                rule=rule,
                cadre_id=due.cadre_id,
                officer_id=due.officer_id,
                visit_occasion_id=due.occasion_id,
                contact_assignment_id=due.assignment_id,
                occasion_date=due.occasion_date,
                due_on=on,
                recipient_id=user,
            )
            for due in rows
            for user in _recipients_of(rule, due, secretaries, staff)
        ]
        before = Reminder.objects.filter(rule=rule, due_on=on).count()
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True, batch_size=BATCH)
        counts[rule] = Reminder.objects.filter(rule=rule, due_on=on).count() - before
        if rule == Rule.MILESTONE_BIRTHDAY and rows:
            _record_milestone_visits(rows, on)
    logger.info("Reminders for %s: %s", on, counts)
    return counts


def close_reminders(*, by: User | None = None, occasion=None, assignment=None, medal_of=None) -> int:
    """Close the open reminders that a recorded visit (of `occasion`), a kept contact (of
    `assignment`) or an awarded 50-year medal (of the cadre `medal_of`) has answered; returns how many."""
    subjects = {
        "visit_occasion": occasion,
        "contact_assignment": assignment,
        "cadre": medal_of,
    }
    named = {field: value for field, value in subjects.items() if value is not None}
    if len(named) != 1:
        raise ValueError("Name one occasion, assignment or medal cadre.")
    reminders = Reminder.objects.filter(done_at__isnull=True, **named)
    if medal_of is not None:
        reminders = reminders.filter(rule=Rule.MEDAL_50_YEARS)
    return reminders.update(done_at=timezone.now(), done_by=by)


def remind_visits_now(*, on: dt.date) -> None:
    """Run the visit rules for `on` soon, not tomorrow morning: through the outbox, so a request
    that asks for it answers at once even while Redis is down, and the run is not lost."""
    from core.outbox import enqueue

    enqueue(
        "reminders.tasks.run_rules",
        kwargs={"on": on.isoformat(), "rules": [Rule.VISIT_DUE, Rule.VISIT_OVERDUE]},
    )


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
