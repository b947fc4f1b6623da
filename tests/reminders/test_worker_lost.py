"""A worker killed midway through the daily run loses and duplicates no reminder and no e-mail.

A prefork worker runs the task in a pool child; the test holds an uncommitted ledger row in a
connection of its own, so the child's insert of that same row waits inside its transaction
(after it has written the rows of the rules before). The test SIGKILLs the child there; the
parent survives, sees WorkerLostError and, with acks_late and reject_on_worker_lost, puts the
message back; the task then runs again in a fresh child.
"""

import datetime as dt
import os
import signal
import threading
import time
from collections import Counter
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.db import connection, transaction

from accounts.models import Role
from reminders.models import Reminder
from reminders.tasks import run_daily
from tests.celery_worker import (
    require_redis,
    require_shared_database,
    running_worker,
    skip_without,
    unique_queue,
)
from tests.factories import BranchFactory, CadreFactory, UserFactory

pytestmark = [pytest.mark.services, skip_without(redis=True, shared_database=True)]

ROOT = Path(__file__).resolve().parents[2]
ON = dt.date(2025, 3, 14)
WAIT = 20  # seconds for each step; the whole test takes a few


def _wait_for(what, check, log: Path):
    """Poll `check` until it answers something true; fail with the worker's log after WAIT s."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.1)
    pytest.fail(f"No {what} within {WAIT} s. Worker log:\n{log.read_text(errors='replace')}")


def _logged(log: Path, text: str) -> bool:
    return text in log.read_text(errors="replace")


@pytest.fixture
def prefork_worker(tmp_path):
    """A prefork worker with one pool child on a queue of its own, its mail written to files;
    yields (queue, node name, parent process, log file, mail folder)."""
    require_redis()
    require_shared_database()
    queue = unique_queue("test-worker-lost")
    node = f"{queue}@test"
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    # A file per sending lets the test count what went out (locmem mail dies with the worker).
    mail = {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    with running_worker(
        queue, log, share_database=True, pool="prefork", node=node, extra_env=mail
    ) as process:
        yield queue, node, process, log, mail_dir


@contextmanager
def held_uncommitted(**fields):
    """Insert a Reminder in another connection and keep its transaction open until the block
    ends, then roll it back; yields that connection's backend pid. Whoever inserts the same
    reminder waits for it (the ledger's unique constraint), inside their own transaction."""
    ready, release = threading.Event(), threading.Event()
    held = {}

    def hold():
        # A thread has a database connection of its own.
        try:
            with transaction.atomic():
                Reminder.objects.create(**fields)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    held["pid"] = cursor.fetchone()[0]
                ready.set()
                release.wait(timeout=3 * WAIT)
                transaction.set_rollback(True)
        except Exception as error:
            held["error"] = error
        finally:
            ready.set()
            connection.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        ready.wait(timeout=WAIT)
        if "pid" not in held:
            pytest.fail(f"Could not hold the reminder: {held.get('error', 'no answer')!r}")
        yield held["pid"]
    finally:
        release.set()
        thread.join(timeout=WAIT)


def _blocked_by(pid: int) -> list[tuple[int, bool, str]]:
    """(pid, has written, query) of every backend waiting for a lock that `pid` holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_xid IS NOT NULL, query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
            [pid],
        )
        return cursor.fetchall()


def _active_pid(node: str, task_id: str) -> int | None:
    """The pool child running `task_id`, as the worker reports it."""
    replies = run_daily.app.control.inspect(destination=[node], timeout=1, limit=1).active() or {}
    return next((task["worker_pid"] for task in replies.get(node, []) if task["id"] == task_id), None)


def _mails(mail_dir: Path) -> list[Message]:
    """Every message the worker's file backend wrote (one file per sending, each message
    followed by a line of 79 dashes)."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [
        message_from_bytes(raw)
        for path in sorted(mail_dir.glob("*.log"))
        for raw in path.read_bytes().split(separator)
        if raw.strip()
    ]


# Committed data, for the worker to see. Not serialized_rollback, like every transactional test
# here: a serialized test's flush leaves the content types out for the unserialized tests after it,
# and one after an unserialized test finds the role groups post_migrate recreated (tests/core/test_outbox.py).
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_midway_loses_and_duplicates_nothing(prefork_worker):
    queue, node, parent, log, mail_dir = prefork_worker
    assert not run_daily.app.conf.task_always_eager, "the test process does not use the real broker"
    staff = UserFactory(role=Role.BUREAU_STAFF, email="staff@example.org")
    branch = BranchFactory()
    secretary = UserFactory(role=Role.BRANCH_SECRETARY, branch=branch, email="secretary@example.org")
    # Birthdays on the day, of cadres outside any branch: the bureau staff is told.
    birthdays = [
        CadreFactory(name=name, birth_date=dt.date(1950, 3, 14)) for name in ("王建国", "李秀英", "赵卫东")
    ]
    # A political birthday (born far from the day), in a branch: its secretary is told.
    joined = CadreFactory(
        name="陈立新", birth_date=dt.date(1948, 9, 20), party_join_date=dt.date(1975, 3, 14), branch=branch
    )
    expected = sorted(
        [("birthday", cadre.pk, staff.pk) for cadre in birthdays]
        + [("political_birthday", joined.pk, secretary.pk)]
    )
    # The rules run birthdays before political birthdays: the child's transaction will have
    # written the birthdays when it reaches this row and waits.
    held = {
        "rule": Reminder.Rule.POLITICAL_BIRTHDAY,
        "cadre": joined,
        "occasion_date": ON,
        "due_on": ON,
        "recipient": secretary,
    }

    result = None
    try:
        with held_uncommitted(**held) as holder:
            result = run_daily.apply_async(kwargs={"on": ON.isoformat()}, queue=queue)
            (waiting,) = _wait_for("worker waiting on the held reminder", lambda: _blocked_by(holder), log)
            _, has_written, query = waiting
            assert 'INSERT INTO "reminders_reminder"' in query
            assert has_written, "the child had written nothing yet: it would not be killed midway"
            child = _wait_for("active task in the worker", lambda: _active_pid(node, result.id), log)
            assert child != parent.pid, "the task must run in a pool child, for the parent to survive it"

            os.kill(child, signal.SIGKILL)
            # Only once the parent has seen its child die is the held row let go: the killed
            # transaction can never go on to commit.
            _wait_for("WorkerLostError in the worker log", lambda: _logged(log, "WorkerLostError"), log)
        try:
            counts = result.get(timeout=WAIT)
        except CeleryTimeoutError:
            pytest.fail(f"No answer within {WAIT} s. Worker log:\n{log.read_text(errors='replace')}")
    finally:
        if result is not None:
            result.forget()

    # The child logs its success after storing the result: the answer can come first.
    succeeded = f"Task reminders.tasks.run_daily[{result.id}] succeeded"
    _wait_for("success in the worker log", lambda: _logged(log, succeeded), log)
    worker_log = log.read_text(errors="replace")
    assert parent.poll() is None, f"the worker's parent died too:\n{worker_log}"
    assert worker_log.count(f"Task reminders.tasks.run_daily[{result.id}] received") == 2, worker_log
    assert worker_log.count(succeeded) == 1, worker_log

    # The second run wrote every reminder itself: the killed one committed none of its rows.
    assert (counts["birthday"], counts["political_birthday"]) == (3, 1)
    assert sorted(Reminder.objects.values_list("rule", "cadre", "recipient")) == expected
    assert not Reminder.objects.filter(notified_at__isnull=True).exists()

    # One digest per recipient, naming each of their reminders' cadres once.
    mails = _mails(mail_dir)
    assert Counter(message["To"] for message in mails) == {staff.email: 1, secretary.email: 1}
    bodies = {message["To"]: message.get_payload(decode=True).decode() for message in mails}
    for cadre in birthdays:
        assert (bodies[staff.email].count(cadre.name), bodies[secretary.email].count(cadre.name)) == (1, 0)
    assert (bodies[staff.email].count(joined.name), bodies[secretary.email].count(joined.name)) == (0, 1)
