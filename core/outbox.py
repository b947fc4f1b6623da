"""A transactional outbox for Celery tasks: work asked for in a transaction is never lost.

`enqueue` writes an OutboxMessage in the caller's transaction and, once that commits, tries
to publish it at once. When the broker is down the request still answers within about two
seconds: the row stays pending with its error, and `flush` (every minute from beat, or the
`flush_outbox` command) publishes it later.

Delivery is at least once: a process that dies between publishing and marking the row sent
publishes it again on the next flush, so tasks sent through the outbox must be idempotent.
Results are not kept (`ignore_result`): no caller holds an AsyncResult of an outbox message,
and subscribing to the result store first retries a Redis that is down for about 20 seconds.

Without a broker (CELERY_TASK_ALWAYS_EAGER, the embedded default) the task runs in-process
after the commit instead, and its row is marked sent when it succeeds.
"""

import logging
from contextlib import nullcontext

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

# Seconds. Connection refused fails at once; these bound a host that drops packets or a
# Redis that accepts and then hangs: one connect and one read at most, never a retry loop.
CONNECT_TIMEOUT = 1.0
SOCKET_TIMEOUT = 1.0


@transaction.atomic
def enqueue(task_name: str, *, args=(), kwargs=None, queue: str = "") -> OutboxMessage:
    """Write the task to the outbox in the caller's transaction; publish it after the commit."""
    if task_name not in current_app.tasks:
        # A web process has not imported the apps' tasks modules (a worker does at start).
        current_app.loader.import_default_modules()
    if task_name not in current_app.tasks:
        # A misspelt name would otherwise sit in the outbox, failing on every flush.
        raise ValidationError({"task_name": _("No task is registered under this name.")})
    message = OutboxMessage(task_name=task_name, args=list(args), kwargs=dict(kwargs or {}), queue=queue)
    message.full_clean()
    message.save()
    transaction.on_commit(lambda: _send_after_commit(message.pk))
    return message


def flush(*, limit: int = 500) -> int:
    """Publish pending outbox messages, oldest first, at most `limit` of them; return how many were sent."""
    sent = 0
    last_id = 0
    with _broker_connection() as connection:
        for _attempt in range(limit):
            # One row per transaction: the row lock lasts one publish, and a concurrent
            # flusher (or a request's own publish) skips the row instead of sending it twice.
            with transaction.atomic():
                message = _claim(id__gt=last_id)
                if message is None:
                    break
                last_id = message.pk
                error = _deliver(message, connection)
            if error is None:
                sent += 1
            elif isinstance(error, OperationalError):
                # The broker is unreachable: every other message would wait and fail the same way.
                break
    return sent


def pending_count() -> int:
    """How many outbox messages wait to be sent."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def _send_after_commit(message_id: int) -> None:
    try:
        with _broker_connection() as connection, transaction.atomic():
            message = _claim(pk=message_id)
            if message is not None:
                _deliver(message, connection)
    except Exception:
        # The row is committed, so the flush sends it later; the request that asked for the
        # work has done its part and must not fail for the broker's (or this code's) sake.
        logger.exception("Outbox message %s: sending after commit failed", message_id)


def _claim(**lookup) -> OutboxMessage | None:
    """Lock the oldest pending message matching `lookup`, skipping any another process holds."""
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, **lookup).order_by("id")
    return pending.select_for_update(skip_locked=True).first()


def _broker_connection():
    """A connection of its own that fails fast, not one from the app's pool (whose settings
    retry for the worker's sake); nothing to open when tasks run in-process."""
    if current_app.conf.task_always_eager:
        return nullcontext()
    return current_app.connection_for_write(
        connect_timeout=CONNECT_TIMEOUT,
        transport_options={
            "max_retries": 0,
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
        },
    )


def _deliver(message: OutboxMessage, connection) -> Exception | None:
    """Publish the claimed message (or run it, eager) and mark it sent; on failure record the
    attempt and return the error."""
    message.attempts += 1
    try:
        if current_app.conf.task_always_eager:
            # A savepoint: a failed task's writes are undone, the failed attempt is kept.
            with transaction.atomic():
                current_app.tasks[message.task_name].apply(
                    args=message.args, kwargs=message.kwargs, task_id=str(message.task_id), throw=True
                )
        else:
            current_app.send_task(
                message.task_name,
                args=message.args,
                kwargs=message.kwargs,
                # Blank: the task's route in the settings, else the default queue.
                queue=message.queue or None,
                task_id=str(message.task_id),
                connection=connection,
                retry=False,
                ignore_result=True,
            )
    except Exception as error:
        message.last_error = f"{type(error).__name__}: {error}"
        message.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "Outbox message %s (%s) not sent, attempt %s: %s",
            message.pk,
            message.task_name,
            message.attempts,
            message.last_error,
        )
        return error
    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "sent_at"])
    return None
