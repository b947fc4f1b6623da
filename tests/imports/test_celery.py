"""An import through the real path: the outbox publishes to Redis, a Celery worker checks the file,
records progress and the preview, then writes the confirmed import in the shared database."""

import time

import pytest
from celery import current_app

from branches.models import BranchMembership
from cadres.models import Cadre
from imports import services
from imports.models import ImportJob
from tests.celery_worker import (
    require_redis,
    require_shared_database,
    running_worker,
    skip_without,
    unique_queue,
)
from tests.factories import BranchFactory, UserFactory
from tests.imports.helpers import person, rows_of, upload, xlsx

WORKER_TIMEOUT = 60


def wait_for(job_id: int, statuses: set[str], log) -> ImportJob:
    deadline = time.monotonic() + WORKER_TIMEOUT
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.2)
    pytest.fail(f"Job {job_id} stayed {job.status}. Worker log:\n{log.read_text(errors='replace')}")


@skip_without(redis=True, shared_database=True)
@pytest.mark.django_db(transaction=True)
def test_a_worker_checks_and_writes_an_import(tmp_path, settings):
    require_redis()
    require_shared_database()
    assert not current_app.conf.task_always_eager, "the test process does not use the real broker"
    settings.IMPORT_QUEUE = unique_queue("test-imports")
    log = tmp_path / "worker.log"
    branch = BranchFactory(name="市城管局离退休干部党支部")
    staff = UserFactory(username="import_staff", role="bureau_staff")
    data = xlsx(rows_of([person(i, branch=branch.name) for i in range(1, 1201)]))
    media = {"DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with running_worker(settings.IMPORT_QUEUE, log, share_database=True, extra_env=media):
        job = services.job_create(user=staff, resource="cadres", upload=upload("花名册.xlsx", data))
        job = wait_for(job.pk, {ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED}, log)
        assert job.status == ImportJob.Status.PREVIEWED, job.message or job.errors[:3]
        assert (job.create_count, job.progress) == (1200, 100)
        assert not Cadre.objects.exists()

        services.job_confirm(job=job, user=staff)
        job = wait_for(job.pk, {ImportJob.Status.DONE, ImportJob.Status.FAILED}, log)
    assert job.status == ImportJob.Status.DONE, job.message
    assert Cadre.objects.filter(branch=branch).count() == 1200
    assert BranchMembership.objects.filter(branch=branch, left_on__isnull=True).count() == 1200
    worker_log = log.read_text(errors="replace")
    assert "imports.tasks.validate_import" in worker_log and "imports.tasks.run_import" in worker_log
