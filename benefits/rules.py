"""Rules of care and benefits that the bureau may tune in settings."""

from django.conf import settings

# Days after an occasion by which its visit is due (六必访); settings.BENEFITS_VISIT_DUE_DAYS
# overrides any of them.
DEFAULT_VISIT_DUE_DAYS: dict[str, int] = {
    "hospitalised": 3,
    "family_event": 7,
    "hardship": 7,
    "festival": 14,
    "milestone_birthday": 14,
    "death": 3,
}


def visit_due_days(kind: str) -> int:
    """How many days after an occasion of `kind` its visit is due."""
    configured = {**DEFAULT_VISIT_DUE_DAYS, **getattr(settings, "BENEFITS_VISIT_DUE_DAYS", {})}
    return int(configured[kind])


def party_50_years_cutoff(year: int):
    """Members who joined the Party on or before this day have 50 years' standing by 1 July of `year`."""
    import datetime as dt

    return dt.date(year - 50, 7, 1)
