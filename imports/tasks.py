from celery import shared_task

from imports import services


# Sent through core.outbox, so delivered at least once: each step checks the job's status first.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def validate_import(job_id: int) -> str:
    """Check an uploaded import's file and record its preview; return the job's status."""
    return services.job_validate(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> str:
    """Write a confirmed import in one transaction; return the job's status."""
    return services.job_run(job_id=job_id)


# Beat runs it daily at 03:30 Asia/Shanghai (imports' migration 0003); a second run finds
# no file left to delete.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_import_files() -> int:
    """Delete the stored files of import jobs older than IMPORT_KEEP_DAYS; return how many jobs."""
    return services.purge_old_files()
