"""A real Celery round trip: a task goes through Redis to a worker process and back."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings

from core.tasks import ping

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
# The celery script of the interpreter running the tests, i.e. .venv/bin/celery.
CELERY = Path(sys.executable).parent / "celery"
ANSWER_TIMEOUT = 30


@pytest.fixture
def worker(tmp_path):
    """Start a worker on a queue of its own; yield (queue, log file); always stop it."""
    if not settings.REDIS_URL:
        if settings.REQUIRE_SERVICES:
            pytest.fail("Redis is required in CI: set REDIS_URL (REQUIRE_SERVICES is on).")
        pytest.skip("Needs Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/15.")

    # A queue of its own, so that no other worker on the same Redis can take the task.
    queue = f"test-ping-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cadre_portal.settings.test",
        "REDIS_URL": settings.REDIS_URL,
    }
    log = tmp_path / "worker.log"
    command = [
        str(CELERY),
        "-A",
        "cadre_portal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield queue, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        delete_queue(queue)


def delete_queue(name):
    """Remove the queue's routing keys, so that runs leave nothing behind in Redis."""
    with ping.app.connection_for_write() as connection:
        queue = ping.app.amqp.queues[name](connection.default_channel)
        # Declaring binds the queue in this channel, which is what delete() then unbinds.
        queue.declare()
        queue.delete()


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
