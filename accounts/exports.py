"""The audit log as a spreadsheet: the entries the page lists, with its filters."""

from operator import attrgetter

from auditlog.models import LogEntry
from django.utils.translation import gettext as _

from core.exports import column_table


def _changes(changes: dict) -> str:
    # One change a line, as the page shows them; ID numbers arrive already masked by auditlog.
    lines = []
    for field, change in changes.items():
        if isinstance(change, list | tuple) and len(change) == 2:
            lines.append(f"{field}: {change[0]} → {change[1]}")
        else:
            # A many-to-many change is recorded as a description, not an old and new value.
            lines.append(f"{field}: {change}")
    return "\n".join(lines)


def audit_log_table(entries, *, user):
    return column_table(
        entries,
        [
            (_("Time"), attrgetter("timestamp")),
            (_("User"), lambda entry: entry.actor.username if entry.actor_id else ""),
            (_("Action"), LogEntry.get_action_display),
            (_("Record"), lambda entry: f"{entry.content_type.name}: {entry.object_repr}"),
            (_("Changes"), lambda entry: _changes(entry.changes_dict)),
            (_("Address"), attrgetter("remote_addr")),
        ],
    )
