"""Running the rules into the ledger, and marking reminders done."""

import datetime as dt
import logging
from collections import defaultdict
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Mod
from django.db.models.lookups import Exact
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


def today_in_shanghai() -> dt.date:
    return timezone.now().astimezone(SHANGHAI).date()


class Source(NamedTuple):
    """Where a rule's rows come from and how each reaches the ledger's columns.

    `rows` is the rule's one set-based query; the paths name, from its model, the cadre, the
    branch whose secretaries are told, the occasion date, and the optional subjects."""

    rows: QuerySet
    cadre: str = "id"
    branch: str = "branch"
    occasion_date: str = "occasion_date"
    officer: str | None = None
    visit_occasion: str | None = None
    contact_assignment: str | None = None
    # A user told besides the branch's secretaries (who recorded the occasion) or instead of
    # them (the contact's staff member), when active.
    responsible: str | None = None
    responsible_instead: bool = False


def rule_source(rule: str, on: dt.date) -> Source:
    if rule in CADRE_RULES:
        until = on + dt.timedelta(days=rules.birthday_lead_days())
        return Source(CADRE_RULES[rule](on=on, until=until))
    if rule == Rule.MEDAL_50_YEARS:
        return Source(rules.medal_due(on=on))
    if rule == Rule.OFFICER_TERM_END:
        return Source(
            rules.officer_terms_ending(on=on), cadre="cadre_id", occasion_date="term_end", officer="id"
        )
    if rule in (Rule.VISIT_DUE, Rule.VISIT_OVERDUE):
        occasions = rules.visits_due(on=on) if rule == Rule.VISIT_DUE else rules.visits_overdue_on(on=on)
        return Source(
            occasions,
            cadre="cadre_id",
            branch="cadre__branch",
            occasion_date="occurred_on" if rule == Rule.VISIT_DUE else "due_on",
            visit_occasion="id",
            responsible="recorded_by",
        )
    if rule == Rule.CONTACT_OVERDUE:
        return Source(
            rules.contacts_overdue_on(on=on),
            cadre="cadre_id",
            branch="cadre__branch",
            occasion_date="contact_due_on",
            contact_assignment="id",
            responsible="staff",
            responsible_instead=True,
        )
    raise ValueError(f"Unknown rule {rule!r}")


def due_rows(rule: str, on: dt.date) -> list[tuple[int, dt.date]]:
    """(cadre id, occasion date) of everyone `rule` makes due on `on`: the rule's bare SELECT."""
    source = rule_source(rule, on)
    return list(source.rows.order_by().values_list(source.cadre, source.occasion_date))


LEDGER_COLUMNS = [
    "rule",
    "cadre",
    "officer",
    "visit_occasion",
    "contact_assignment",
    "occasion_date",
    "due_on",
    "recipient",
    "created_at",
]


def _insert(rows: QuerySet) -> int:
    """INSERT the ledger rows `rows` selects (LEDGER_COLUMNS, in order) in one statement, skipping
    those the ledger already holds; returns how many were new. Set-based: no Python object per
    reminder, and a second run, a retried task or a second beat inserts nothing."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. the medal rule on another day: nothing to select
        return 0
    fields = (Reminder._meta.get_field(name) for name in LEDGER_COLUMNS)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(Reminder._meta.db_table)
    if connection.vendor == "sqlite":
        statement = f"INSERT OR IGNORE INTO {table} ({columns}) {sql}"
    else:
        statement = f"INSERT INTO {table} ({columns}) {sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _as_ledger(source: Source, *, rule: str, on: dt.date, now: dt.datetime, recipient) -> QuerySet:
    """The source's rows as the ledger's columns, told to `recipient` (an expression)."""
    null = Value(None, output_field=IntegerField())
    columns = {
        "r_rule": Value(rule, output_field=CharField()),
        "r_cadre": F(source.cadre),
        "r_officer": F(source.officer) if source.officer else null,
        "r_visit_occasion": F(source.visit_occasion) if source.visit_occasion else null,
        "r_contact_assignment": F(source.contact_assignment) if source.contact_assignment else null,
        "r_occasion_date": F(source.occasion_date),
        "r_due_on": Value(on, output_field=DateField()),
        "r_recipient": recipient,
        "r_created_at": Value(now, output_field=DateTimeField()),
    }
    # Annotated in the columns' order and selected alone: the SELECT lists them in that order.
    return source.rows.order_by().annotate(**columns).values_list(*columns)


def _round_robin(cadre: str, staff: list[int]) -> Case:
    """One member of the bureau staff per cadre, the same one every day while the staff stay the
    same: each reminder has one owner, not the whole office."""
    slot = Mod(F(cadre), Value(len(staff)))
    return Case(
        *(When(Exact(slot, index), then=Value(user)) for index, user in enumerate(staff)),
        output_field=IntegerField(),
    )


def _record(rule: str, source: Source, *, on: dt.date, staff: list[int]) -> int:
    """Write the reminders of one rule: to the branch's secretaries (and to who is responsible),
    else to one member of staff; returns how many are new."""
    now = timezone.now()
    if source.responsible is None:
        # One statement: each person joined to their branch's active secretaries, or else given
        # one member of staff.
        secretaries = f"{source.branch}__secretaries"
        rows = source.rows.annotate(
            told=FilteredRelation(
                secretaries,
                condition=Q(
                    **{f"{secretaries}__role": Role.BRANCH_SECRETARY, f"{secretaries}__is_active": True}
                ),
            )
        )
        if staff:
            recipient = Coalesce(F("told__id"), _round_robin(source.cadre, staff))
        else:
            rows, recipient = rows.filter(told__isnull=False), F("told__id")
        return _insert(_as_ledger(source._replace(rows=rows), rule=rule, on=on, now=now, recipient=recipient))

    # Visits and contacts (small tables): who is responsible is told besides, or instead of, the
    # branch's secretaries.
    written = 0
    responsible = Q(**{f"{source.responsible}__is_active": True})
    untold = source.rows.exclude(responsible)
    if not source.responsible_instead:
        secretaries = f"{source.branch}__secretaries"
        told = source.rows.filter(
            **{f"{secretaries}__role": Role.BRANCH_SECRETARY, f"{secretaries}__is_active": True}
        )
        recipient = F(f"{secretaries}__id")
        written += _insert(
            _as_ledger(source._replace(rows=told), rule=rule, on=on, now=now, recipient=recipient)
        )
        has_secretary = User.objects.filter(
            role=Role.BRANCH_SECRETARY, is_active=True, branch=OuterRef(source.branch)
        )
        untold = untold.exclude(Exists(has_secretary))
    told = source.rows.filter(responsible)
    recipient = F(f"{source.responsible}_id")
    written += _insert(_as_ledger(source._replace(rows=told), rule=rule, on=on, now=now, recipient=recipient))
    if staff:
        recipient = _round_robin(source.cadre, staff)
        written += _insert(
            _as_ledger(source._replace(rows=untold), rule=rule, on=on, now=now, recipient=recipient)
        )
    return written


def _record_milestone_visits(on: dt.date) -> None:
    """A milestone birthday on `on` makes a visit due (六必访); those still ahead wait for their day.
    In bulk: the occasion's uniqueness (cadre, kind, day) makes a second run add nothing."""
    from benefits.models import Occasion
    from benefits.rules import visit_due_days

    due_on = on + dt.timedelta(days=visit_due_days(Occasion.Kind.MILESTONE_BIRTHDAY))
    Occasion.objects.bulk_create(
        [
            Occasion(cadre_id=cadre_id, kind=Occasion.Kind.MILESTONE_BIRTHDAY, occurred_on=on, due_on=due_on)
            for cadre_id in rules.milestone_birthdays(on=on).values_list("id", flat=True)
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


@transaction.atomic
def run_reminders(*, on: dt.date, only: list[str] | None = None) -> dict[str, int]:
    """Write the reminders every rule (or those named in `only`) makes due on `on`; return the
    number of new ones per rule.

    Safe to repeat: the ledger's unique constraints make a second run, a retried task or a
    second beat insert nothing. The milestone rule's due visits are recorded before the visit
    rules run, so they are reminded the same day.
    """
    staff = list(
        User.objects.filter(role=Role.BUREAU_STAFF, is_active=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    counts = {}
    for rule in only or Rule.values:
        counts[rule] = _record(rule, rule_source(rule, on), on=on, staff=staff)
        if rule == Rule.MILESTONE_BIRTHDAY:
            _record_milestone_visits(on)
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
