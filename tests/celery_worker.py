"""A real Celery worker for tests: a `celery worker` subprocess on a queue of its own.

Tests that need one call `require_redis()` (and `require_shared_database()` when the worker
must see their rows), then run the worker with `running_worker()`.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# The celery script of the interpreter running the tests, i.e. .venv/bin/celery.
CELERY = Path(sys.executable).parent / "celery"


def require_redis() -> None:
    """Skip without Redis; fail instead in CI (REQUIRE_SERVICES)."""
    if not settings.REDIS_URL:
        if settings.REQUIRE_SERVICES:
            pytest.fail("Redis is required in CI: set REDIS_URL (REQUIRE_SERVICES is on).")
        pytest.skip("Needs Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/15.")


def require_shared_database() -> None:
    """Skip unless another process can open the test database; fail instead in CI."""
    if connection.vendor != "postgresql":
        # The test's SQLite database lives in this process's memory: a worker cannot share it.
        if settings.REQUIRE_SERVICES:
            pytest.fail("PostgreSQL is required in CI: set DATABASE_URL (REQUIRE_SERVICES is on).")
        pytest.skip("Needs a database a worker process can share: set DATABASE_URL to PostgreSQL.")


def skip_without(*, redis: bool = False, shared_database: bool = False):
    """A mark that skips a test missing a service before its fixtures run, sparing the flush of a
    transactional database for nothing. Under REQUIRE_SERVICES it never skips: the test runs and
    its require_* call fails it."""
    missing = []
    if redis and not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if shared_database and not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        missing.append("PostgreSQL (DATABASE_URL)")
    return pytest.mark.skipif(
        bool(missing) and not settings.REQUIRE_SERVICES, reason=f"Needs {' and '.join(missing)}."
    )


def database_url() -> str:
    """The test database, for the worker process to share it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def unique_queue(prefix: str) -> str:
    # A queue of its own, so that no other worker on the same Redis can take the test's tasks.
    return f"{prefix}-{uuid.uuid4().hex}"


@contextmanager
def running_worker(
    queue: str,
    log: Path,
    *,
    share_database: bool = False,
    pool: str = "solo",
    node: str | None = None,
    extra_env: dict[str, str] | None = None,
):
    """Run a worker consuming `queue`, writing to `log`; yield its process; always stop it and
    delete the queue. `pool="prefork"` runs tasks in a child that a test may kill."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cadre_portal.settings.test",
        "REDIS_URL": settings.REDIS_URL,
        **(extra_env or {}),
    }
    if share_database:
        env["DATABASE_URL"] = database_url()
    command = [str(CELERY), "-A", "cadre_portal", "worker", f"--pool={pool}", "--concurrency=1", "-Q", queue]
    if node:
        command += ["-n", node]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO"]
    with log.open("wb") as output:
        # A session of its own: if the parent will not stop, its pool children go down with it.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        delete_queue(queue)


def wait_for_log(log: Path, text: str, *, timeout: float) -> str:
    """Wait until the worker's log shows `text`; return the log, or fail with it."""
    deadline = time.monotonic() + timeout
    while True:
        content = log.read_text(errors="replace")
        if text in content:
            return content
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not in the worker log within {timeout} s:\n{content}")
        time.sleep(0.2)


def delete_queue(name):
    """Remove the queue and its routing keys, so that runs leave nothing behind in Redis."""
    with current_app.connection_for_write() as broker:
        queue = current_app.amqp.queues[name](broker.default_channel)
        # Declaring binds the queue in this channel, which is what delete() then unbinds.
        queue.declare()
        queue.delete()
