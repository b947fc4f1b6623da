"""A real Celery round trip: a task goes through Redis to a worker process and back."""

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError

from core.tasks import ping
from tests.celery_worker import require_redis, running_worker, unique_queue

pytestmark = pytest.mark.services

ANSWER_TIMEOUT = 30


@pytest.fixture
def worker(tmp_path):
    """Start a worker on a queue of its own; yield (queue, log file); always stop it."""
    require_redis()
    queue = unique_queue("test-ping")
    log = tmp_path / "worker.log"
    with running_worker(queue, log):
        yield queue, log


def test_it_round_trips_ping_through_a_real_worker(worker):
    queue, log = worker
    # An eager app would answer in-process and prove nothing about the worker.
    assert not ping.app.conf.task_always_eager, "the test process does not use the real broker"

    result = ping.apply_async(queue=queue)
    try:
        answer = result.get(timeout=ANSWER_TIMEOUT)
    except CeleryTimeoutError:
        pytest.fail(f"No answer within {ANSWER_TIMEOUT} s. Worker log:\n{log.read_text(errors='replace')}")
    finally:
        result.forget()

    assert answer == "pong"
