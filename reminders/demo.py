"""Demo reminders for `seed_demo`: the last two weeks of daily runs, the older half worked through.

Runs the real rules (reminders.services.run_reminders), so the inbox shows the birthdays,
Party anniversaries and terms ending that the demo registry really has.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from reminders.models import Reminder
from reminders.services import run_reminders

DEMO_DAYS = 14
DONE_SHARE = 0.6  # of the reminders older than a week


@transaction.atomic
def seed_reminders(*, seed: int, today: dt.date) -> dict[str, int]:
    rng = random.Random(seed)
    created = 0
    for back in range(DEMO_DAYS - 1, -1, -1):
        created += sum(run_reminders(on=today - dt.timedelta(days=back)).values())
    old = list(
        Reminder.objects.filter(due_on__lt=today - dt.timedelta(days=7), done_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "recipient_id", "due_on")
    )
    done = [row for row in old if rng.random() < DONE_SHARE]
    for pk, recipient_id, due_on in done:
        done_at = timezone.make_aware(
            dt.datetime.combine(due_on, dt.time(9 + rng.randrange(8), rng.randrange(60)))
        )
        Reminder.objects.filter(pk=pk).update(done_at=done_at, done_by_id=recipient_id)
    return {"reminders": created, "reminders_done": len(done)}
