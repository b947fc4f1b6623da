"""The daily purge of old import files: beat's schedule, the worker's registry, and a real run."""

import datetime as dt
from pathlib import Path

import pytest
from celery import current_app
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.core.files.base import ContentFile
from django.utils import timezone

from imports.models import ImportJob
from imports.tasks import purge_import_files
from tests.celery_worker import (
    require_redis,
    require_shared_database,
    running_worker,
    skip_without,
    unique_queue,
)

TASK = "imports.tasks.purge_import_files"
WORKER_TIMEOUT = 60


@pytest.mark.django_db
def test_beat_purges_every_night_at_half_past_three_shanghai_time():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task=TASK)
    assert task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, str(crontab.timezone)) == ("30", "3", "Asia/Shanghai")
    assert (crontab.day_of_week, crontab.day_of_month, crontab.month_of_year) == ("*", "*", "*")


def test_a_worker_registers_the_task_beat_names():
    # A worker imports each app's `tasks` module at start (autodiscovery).
    current_app.loader.import_default_modules()
    current_app.autodiscover_tasks(force=True)
    assert TASK in current_app.tasks
    assert purge_import_files.name == TASK
    assert purge_import_files.acks_late and purge_import_files.reject_on_worker_lost


def _job(user, *, age_days: int, status=ImportJob.Status.PREVIEWED) -> ImportJob:
    job = ImportJob.objects.create(
        resource="cadres", file_name="花名册.xlsx", file_size=4, uploaded_by=user, status=status
    )
    job.file.save("花名册.xlsx", ContentFile(b"PK.."), save=True)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=age_days))
    return job


@pytest.mark.django_db
def test_the_task_deletes_the_files_of_old_jobs_and_keeps_recent_ones(settings, staff_user):
    settings.IMPORT_KEEP_DAYS = 7
    old = _job(staff_user, age_days=8)
    stuck = _job(staff_user, age_days=30, status=ImportJob.Status.VALIDATING)
    recent = _job(staff_user, age_days=6)
    paths = {job.pk: Path(job.file.path) for job in (old, stuck, recent)}
    assert all(path.is_file() and path.is_relative_to(settings.MEDIA_ROOT) for path in paths.values())

    # Through Celery, as beat sends it; run here, in-process.
    assert purge_import_files.apply().get() == 2

    assert not paths[old.pk].exists() and not paths[stuck.pk].exists()
    assert paths[recent.pk].is_file()
    old.refresh_from_db()
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert (old.file.name, old.file_name, old.status) == ("", "花名册.xlsx", ImportJob.Status.PREVIEWED)
    assert (stuck.file.name, stuck.status) == ("", ImportJob.Status.FAILED)
    assert recent.file.name
    # A second run, a re-delivered task, has nothing left to delete.
    assert purge_import_files.apply().get() == 0


@skip_without(redis=True, shared_database=True)
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_task_beat_sends_by_name(tmp_path, settings, staff_user):
    require_redis()
    require_shared_database()
    assert not current_app.conf.task_always_eager, "the test process does not use the real broker"
    settings.IMPORT_KEEP_DAYS = 7
    old = _job(staff_user, age_days=8)
    path = Path(old.file.path)
    queue = unique_queue("test-purge")
    log = tmp_path / "worker.log"
    media = {"DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with running_worker(queue, log, share_database=True, extra_env=media):
        # By name, as beat sends it: only a worker that registered the module can run it.
        result = current_app.send_task(TASK, queue=queue)
        try:
            assert result.get(timeout=WORKER_TIMEOUT) == 1
        except CeleryTimeoutError:
            pytest.fail(
                f"No answer within {WORKER_TIMEOUT} s. Worker log:\n{log.read_text(errors='replace')}"
            )
        finally:
            result.forget()
    assert not path.exists()
    old.refresh_from_db()
    assert not old.file
