"""Access cases of the reminders URLs (see tests/test_access.py).

A reminder belongs to its recipient. The b reminder is addressed to branch b's secretary. The a
reminder must reach secretary_a, a fixture that is made after build(): the case function hands
branch a's reminder to that user when it exists (see _to_branch_secretary).
"""

import datetime as dt

from accounts.models import Role, User
from reminders.models import Reminder
from tests.factories import UserFactory

CASES = {
    "reminders:mark_done": lambda ctx: {"pk": _to_branch_secretary(ctx["reminders_reminder_b"]).pk},
}

SNAPSHOT_MODELS = [Reminder]


def _to_branch_secretary(reminder: Reminder) -> Reminder:
    """The same reminder addressed to the newest secretary of its cadre's branch, if not already theirs."""
    secretary = (
        User.objects.filter(role=Role.BRANCH_SECRETARY, branch=reminder.cadre.branch_id)
        .order_by("-pk")
        .first()
    )
    if secretary is None or secretary.pk == reminder.recipient_id:
        return reminder
    copy, _created = Reminder.objects.get_or_create(
        rule=reminder.rule,
        cadre=reminder.cadre,
        occasion_date=reminder.occasion_date,
        recipient=secretary,
        defaults={"due_on": reminder.due_on},
    )
    return copy


def build(ctx):
    built = {}
    for suffix in ("a", "b"):
        branch, cadre = ctx[f"branch_{suffix}"], ctx[f"cadre_{suffix}"]
        secretary = UserFactory(
            username=f"reminders_secretary_{suffix}", role=Role.BRANCH_SECRETARY, branch=branch
        )
        built[f"reminders_reminder_{suffix}"] = Reminder.objects.create(
            rule=Reminder.Rule.BIRTHDAY,
            cadre=cadre,
            occasion_date=dt.date(2025, 3, 14),
            due_on=dt.date(2025, 3, 14),
            recipient=secretary,
        )
    return built
