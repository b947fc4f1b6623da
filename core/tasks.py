from celery import shared_task

from core import outbox


@shared_task
def ping():
    """Answer "pong", to prove that a worker consumes from the broker and returns results."""
    return "pong"


# Beat runs it every minute (core's migration 0002). Two runs at once are safe: each row is
# claimed with SKIP LOCKED, so a re-delivered or overlapping run sends nothing twice.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def flush_outbox(limit: int = 500) -> int:
    """Publish the pending outbox messages, oldest first; return how many were sent."""
    return outbox.flush(limit=limit)
