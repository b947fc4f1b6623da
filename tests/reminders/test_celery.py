"""The daily task on a real worker through real Redis: a duplicated beat writes each reminder once."""

import datetime as dt

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings

from reminders.models import Reminder
from reminders.tasks import run_daily
from tests.celery_worker import (
    require_redis,
    require_shared_database,
    running_worker,
    skip_without,
    unique_queue,
)
from tests.factories import CadreFactory, UserFactory

pytestmark = [pytest.mark.services]

ANSWER_TIMEOUT = 60


@pytest.fixture
def worker(tmp_path):
    require_redis()
    require_shared_database()
    queue = unique_queue("test-reminders")
    log = tmp_path / "worker.log"
    with running_worker(queue, log, share_database=True):
        yield queue, log


# Committed data, for the worker to see. Not serialized_rollback, like every transactional test
# here: a serialized test's flush leaves the content types out for the unserialized tests after it,
# and one after an unserialized test finds the role groups post_migrate recreated (tests/core/test_outbox.py).
@skip_without(redis=True, shared_database=True)
@pytest.mark.django_db(transaction=True)
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
