"""The daily task on a real worker through real Redis: a duplicated beat writes each reminder once."""

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.db import connection

from reminders.models import Reminder
from reminders.tasks import run_daily
from tests.core.test_celery import delete_queue
from tests.factories import CadreFactory, UserFactory

pytestmark = [pytest.mark.services]

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
ANSWER_TIMEOUT = 60


def _database_url() -> str:
    """The test database, for the worker process to share it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    if not settings.REDIS_URL:
        if settings.REQUIRE_SERVICES:
            pytest.fail("Redis is required in CI: set REDIS_URL (REQUIRE_SERVICES is on).")
        pytest.skip("Needs Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/15.")
    if connection.vendor != "postgresql":
        # The test's SQLite database lives in this process's memory: a worker cannot share it.
        if settings.REQUIRE_SERVICES:
            pytest.fail("PostgreSQL is required in CI: set DATABASE_URL (REQUIRE_SERVICES is on).")
        pytest.skip("Needs a database a worker process can share: set DATABASE_URL to PostgreSQL.")
    queue = f"test-reminders-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cadre_portal.settings.test",
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": _database_url(),
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


# Committed data, for the worker to see; serialized_rollback restores the migrations' rows
# (activity kinds, the beat schedule) that the flush after this test removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_duplicated_daily_run_writes_each_reminder_once(worker):
    queue, log = worker
    assert not run_daily.app.conf.task_always_eager, "the test process does not use the real broker"
    staff = UserFactory(role="bureau_staff")
    cadre = CadreFactory(birth_date=dt.date(1950, 3, 14), party_join_date=dt.date(1975, 3, 14))

    # Two beats firing the same day: the same task sent twice.
    results = [run_daily.apply_async(kwargs={"on": "2025-03-14"}, queue=queue) for _ in range(2)]
    try:
        answers = [result.get(timeout=ANSWER_TIMEOUT) for result in results]
    except CeleryTimeoutError:
        pytest.fail(f"No answer within {ANSWER_TIMEOUT} s. Worker log:\n{log.read_text(errors='replace')}")
    finally:
        for result in results:
            result.forget()

    assert sorted(answer["birthday"] for answer in answers) == [0, 1]
    assert sorted(answer["political_birthday"] for answer in answers) == [0, 1]
    assert sorted(Reminder.objects.values_list("rule", "cadre", "recipient")) == [
        ("birthday", cadre.pk, staff.pk),
        ("political_birthday", cadre.pk, staff.pk),
    ]


@pytest.mark.django_db
def test_the_task_retries_safely_and_beat_runs_it_daily_at_seven():
    from django_celery_beat.models import PeriodicTask

    assert run_daily.acks_late and run_daily.reject_on_worker_lost
    task = PeriodicTask.objects.get(task="reminders.tasks.run_daily")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "0", "Asia/Shanghai")
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
