import datetime as dt

from celery import shared_task

from reminders.services import run_reminders, send_digests, today_in_shanghai


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_daily(on: str | None = None) -> dict[str, int]:
    """Run every rule for today in Asia/Shanghai (or the ISO date `on`), then e-mail the digests;
    repeating it adds and sends nothing."""
    day = dt.date.fromisoformat(on) if on else today_in_shanghai()
    counts = run_reminders(on=day)
    send_digests(on=day)
    return counts


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_rules(on: str, rules: list[str]) -> dict[str, int]:
    """Run some rules for the ISO date `on` at once (e.g. the visit rules after an occasion is
    recorded), so their reminders need not wait for the morning; as safe to repeat as run_daily."""
    return run_reminders(on=dt.date.fromisoformat(on), only=rules)
