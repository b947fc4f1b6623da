"""Reads of the ledger: a user sees the reminders addressed to them."""

from django.db.models import QuerySet

from reminders.models import Reminder


def reminders_of(*, user, rule: str = "", status: str = "open") -> QuerySet[Reminder]:
    queryset = Reminder.objects.filter(recipient=user).select_related("cadre", "officer__branch")
    if rule:
        queryset = queryset.filter(rule=rule)
    if status == "open":
        queryset = queryset.filter(done_at__isnull=True)
    elif status == "done":
        queryset = queryset.filter(done_at__isnull=False)
    return queryset.order_by("-due_on", "-id")


def open_count(*, user) -> int:
    return Reminder.objects.filter(recipient=user, done_at__isnull=True).count()
