"""The health check that load balancers, Docker and monitoring poll."""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from redis import Redis

logger = logging.getLogger(__name__)

# The status words are a contract with monitoring, not text for people, so they are not translated.
OK, ERROR, NOT_CONFIGURED = "ok", "error", "not configured"


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        # A health check reports a failure; it never turns it into a 500.
        logger.exception("Health check: the database did not answer")
        return ERROR
    return OK


def _broker_status():
    url = settings.CELERY_BROKER_URL
    # Without Redis, tasks run in-process (see settings), so there is no broker to check.
    if not url.startswith(("redis://", "rediss://")):
        return NOT_CONFIGURED
    try:
        # Short timeouts: a stalled broker must not stall the health check too.
        with Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) as client:
            client.ping()
    except Exception:
        logger.exception("Health check: the broker did not answer")
        return ERROR
    return OK


# Not atomic: with ATOMIC_REQUESTS, a dead database would fail before the view could report it.
@transaction.non_atomic_requests
@require_GET
def healthz(request):
    """Report whether the database and the broker answer: 200 if all do, 503 otherwise."""
    status = {"database": _database_status(), "broker": _broker_status()}
    healthy = ERROR not in status.values()
    return JsonResponse(status, status=200 if healthy else 503)
