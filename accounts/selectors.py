"""Reads for the audit log."""

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone


def audit_log_entries(
    *,
    actor: str = "",
    model: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[LogEntry]:
    """Audit log entries, newest first, narrowed by the given filters."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if actor:
        entries = entries.filter(actor__username=actor)
    if model:
        app_label, _dot, model_name = model.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    if action != "":
        entries = entries.filter(action=int(action))
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(timestamp__gte=dt.datetime.combine(date_from, dt.time.min, tz))
    if date_to:
        entries = entries.filter(
            timestamp__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)
        )
    return entries


def audited_model_choices() -> list[tuple[str, str]]:
    """(app_label.model, verbose name) of the models the audit log registers."""
    from auditlog.registry import auditlog

    choices = []
    for model in auditlog.get_models():
        ct = ContentType.objects.get_for_model(model)
        choices.append((f"{ct.app_label}.{ct.model}", str(model._meta.verbose_name)))
    return sorted(choices, key=lambda c: c[1])
