"""Writes of the import jobs: upload, check (preview), confirm and run.

The check and the run are Celery tasks (imports.tasks) started through core.outbox, so a big
file never holds a request; without a broker they run in-process after the commit. Each task
may be delivered more than once: a job's status says which step it has reached, and a task
that finds its step done does nothing.
"""

import datetime as dt
import itertools
import logging
import pickle

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.outbox import enqueue
from imports import readers
from imports.models import ImportJob
from imports.planning import Plan, check_cadre_rows, classify_cadre_rows
from imports.records import RecordResource, check_record_rows, settle_record_rows
from imports.registry import importable_by, resource_for
from imports.specs import CADRE_ROSTER
from imports.writing import write_plan

logger = logging.getLogger(__name__)
IMPORT_PERMISSION = "imports.add_importjob"


def _check_file(resource, table: readers.Table, progress=None) -> Plan:
    """The checks of a file on its own, before the registry is looked at."""
    if resource is CADRE_ROSTER:
        return check_cadre_rows(table=table, progress=progress)
    return check_record_rows(resource=resource, table=table, progress=progress)


def _settle(plan: Plan, user, *, write: bool, progress=None) -> Plan:
    """The checks against the registry as it is now; with `write`, the write too (in the
    caller's transaction, and only when every row passed)."""
    if isinstance(plan.resource, RecordResource):
        return settle_record_rows(plan=plan, user=user, write=write, progress=progress)
    classify_cadre_rows(plan=plan, user=user)
    if write and plan.is_valid:
        write_plan(plan)
    return plan


@transaction.atomic
def job_create(*, user, resource: str, upload) -> ImportJob:
    """Store an uploaded file as a new job and start its check; refuse a file by name and size."""
    known = resource_for(resource)
    if known is None or known not in importable_by(user):
        raise ValidationError({"resource": _("Nothing can be imported under this name.")})
    try:
        readers.check_upload(name=upload.name, size=upload.size)
    except readers.FileRefused as refused:
        raise ValidationError({"file": refused.message}) from None
    job = ImportJob(
        resource=resource,
        file_name=upload.name[:255],
        file_size=upload.size,
        uploaded_by=user,
        branch=user.branch if user.is_branch_secretary else None,
    )
    job.full_clean(exclude=["file"])
    job.file.save(upload.name, upload, save=False)
    job.save()
    enqueue("imports.tasks.validate_import", kwargs={"job_id": job.pk}, queue=settings.IMPORT_QUEUE)
    return job


def job_validate(*, job_id: int) -> str:
    """Check the job's file and record its preview (counts, errors, sample); write no cadre."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING):
            return job.status if job else "missing"
        job.status = ImportJob.Status.VALIDATING
        job.progress = 0
        job.save(update_fields=["status", "progress", "updated_at"])

    def progress(percent: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=percent)

    try:
        # Outside a transaction, so that the progress each step records is seen at once.
        plan = _check(job, progress=progress)
        if plan.is_valid:
            # Kept before the classification, which consumes the rows: the write then
            # needs no second reading of the file, only a second look at the registry.
            checked = _pack(plan.rows)
            _settle(plan, job.uploaded_by, write=False)
        elif not plan.message and isinstance(plan.resource, RecordResource):
            # The rows that passed the file's checks are tried too, so that the preview names
            # every wrong row at once; records are few enough for that.
            _settle(plan, job.uploaded_by, write=False)
        if plan.is_valid:
            _store_checked(job, checked)
    except Exception:
        logger.exception("Import job %s: the check failed", job_id)
        plan = None
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJob.Status.VALIDATING:
            return job.status
        _record_plan(job, plan)
        job.status = (
            ImportJob.Status.PREVIEWED if plan is not None and plan.is_valid else ImportJob.Status.FAILED
        )
        job.validated_at = timezone.now()
        job.save()
    return job.status


@transaction.atomic
def job_confirm(*, job: ImportJob, user) -> ImportJob:
    """Start writing a previewed job; only its uploader (or a bureau admin) may confirm it."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not user.has_perm(IMPORT_PERMISSION):
        raise ValidationError(_("You may not import."))
    if job.status != ImportJob.Status.PREVIEWED:
        raise ValidationError(
            _("This import is not waiting for confirmation (it is “%(status)s”).")
            % {"status": job.get_status_display()}
        )
    job.status = ImportJob.Status.IMPORTING
    job.progress = 0
    job.confirmed_at = timezone.now()
    job.save(update_fields=["status", "progress", "confirmed_at", "updated_at"])
    enqueue("imports.tasks.run_import", kwargs={"job_id": job.pk}, queue=settings.IMPORT_QUEUE)
    return job


@transaction.atomic
def job_run(*, job_id: int) -> str:
    """Check the file again against today's registry and, when it is still clean, write it all
    in this one transaction; any error writes nothing."""
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return job.status if job else "missing"
    plan = None
    if resource_for(job.resource) not in importable_by(job.uploaded_by):
        job.message = _("The uploader may no longer import; nothing was imported.")
    else:
        try:
            # A savepoint: whatever fails below undoes the cadres' writes, not the job's record.
            with transaction.atomic():
                plan = _checked(job) or _check(job)
                if plan.is_valid:
                    with disable_auditlog():
                        _settle(plan, job.uploaded_by, write=True)
        except IntegrityError:
            logger.warning("Import job %s: a conflicting change was made meanwhile", job_id, exc_info=True)
            plan = None
            job.message = _(
                "Someone registered or changed some of these cadres while the import ran; nothing was "
                "imported. Upload the file again to check it against the registry as it is now."
            )
        except Exception:
            logger.exception("Import job %s: the import failed", job_id)
            plan = None
    _record_plan(job, plan, keep_message=bool(job.message))
    job.finished_at = timezone.now()
    if plan is not None and plan.is_valid:
        job.status = ImportJob.Status.DONE
        job.progress = 100
        job.save()
        _log(job)
        _delete_file_on_commit(job)
    else:
        job.status = ImportJob.Status.FAILED
        job.save()
    return job.status


def _check(job: ImportJob, progress=None) -> Plan:
    """The checks of the job's file on its own (imports.planning)."""
    if not job.file:
        return Plan(resource=None, message=_("The file is no longer kept; upload it again."))
    with job.file.open("rb") as stored:
        data = stored.read()
    try:
        table = readers.read_table(name=job.file_name, data=data)
    except readers.FileRefused as refused:
        return Plan(resource=None, message=refused.message)
    return _check_file(resource_for(job.resource), table, progress)


# The rows that passed the file's checks are kept between the preview and the write, signed:
# they are unpickled only when the signature made with SECRET_KEY matches.
_CHECKED_SALT = "imports.services.checked-rows"


def _checked_name(job: ImportJob) -> str:
    return f"imports/checked/{job.pk}.pickle"


def _store_checked(job: ImportJob, checked: bytes) -> None:
    signature = salted_hmac(_CHECKED_SALT, checked, algorithm="sha256").hexdigest().encode()
    name = _checked_name(job)
    storage = job.file.storage
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(signature + b"\n" + checked))


def _checked(job: ImportJob) -> Plan | None:
    """The rows the preview checked, or None when they are not kept (or not intact)."""
    storage = job.file.storage
    name = _checked_name(job)
    try:
        with storage.open(name, "rb") as stored:
            signature, _newline, checked = stored.read().partition(b"\n")
    except (FileNotFoundError, OSError):
        return None
    expected = salted_hmac(_CHECKED_SALT, checked, algorithm="sha256").hexdigest().encode()
    if not constant_time_compare(signature, expected):
        logger.warning("Import job %s: the checked rows do not match their signature", job.pk)
        return None
    return Plan(resource=resource_for(job.resource), rows=_unpack(checked), row_count=job.row_count)


def _pack(rows: list[tuple[int, dict]]) -> bytes:
    # Every row has the same fields in the same order (imports.planning): tuples pickle faster.
    fields = list(rows[0][1]) if rows else []
    return pickle.dumps(
        (fields, [number for number, _values in rows], [tuple(values.values()) for _number, values in rows]),
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def _unpack(checked: bytes) -> list[tuple[int, dict]]:
    fields, numbers, values = pickle.loads(checked)
    # map() keeps the 100,000 dict() calls out of the interpreter loop: half the time of a comprehension.
    return list(zip(numbers, map(dict, map(zip, itertools.repeat(fields), values)), strict=True))


def _delete_checked(job: ImportJob) -> None:
    storage = job.file.storage
    name = _checked_name(job)
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Import job %s: could not delete %s", job.pk, name, exc_info=True)


def _record_plan(job: ImportJob, plan: Plan | None, *, keep_message: bool = False) -> None:
    if plan is None:
        if not keep_message:
            job.message = _("An unexpected error stopped the import; nothing was imported. Try again later.")
        job.errors, job.changes = [], []
        job.create_count = job.update_count = job.skip_count = job.error_count = 0
        return
    job.message = plan.message
    job.row_count = plan.row_count
    job.create_count = plan.create_count
    job.update_count = plan.update_count
    job.skip_count = plan.skip_count
    job.error_count = plan.error_count
    job.errors = [error.as_dict() for error in plan.errors]
    job.changes = plan.sample
    job.progress = 100


def _log(job: ImportJob) -> None:
    """One audit-log entry for the whole import, instead of one per cadre."""
    LogEntry.objects.log_create(
        job,
        force_log=True,
        action=LogEntry.Action.CREATE,
        actor=job.uploaded_by,
        changes={
            "file_name": [None, job.file_name],
            "create_count": [None, str(job.create_count)],
            "update_count": [None, str(job.update_count)],
            "skip_count": [None, str(job.skip_count)],
        },
    )


def _delete_file_on_commit(job: ImportJob) -> None:
    """Once the import is committed, delete its file and its checked rows; the job keeps the name."""
    name = job.file.name
    storage = job.file.storage

    def delete():
        _delete_checked(job)
        if name:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Import job %s: could not delete %s", job.pk, name, exc_info=True)

    transaction.on_commit(delete)
    job.file = ""
    job.save(update_fields=["file"])


def purge_old_files(*, days: int | None = None) -> int:
    """Delete the stored files of jobs older than `days` (IMPORT_KEEP_DAYS); return how many."""
    days = settings.IMPORT_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        _delete_checked(job)
        job.file = ""
        if job.is_running:
            job.status = ImportJob.Status.FAILED
            job.message = _("The import was abandoned; its file has been deleted.")
        job.save(update_fields=["file", "status", "message", "updated_at"])
        deleted += 1
    return deleted


def records_export(*, resource, user) -> bytes:
    """The records of `resource` that `user` may see, as the .xlsx the import reads back.

    ID numbers are whole only for those who may see them, and such a download is logged once
    (who, what, how many rows); for the others they are masked, as on every list.
    """
    from core.masking import mask_id_number
    from imports.workbook import roster_workbook

    full_ids = user.has_perm("cadres.view_full_id_number")
    id_columns = [index for index, column in enumerate(resource.columns) if column.field == "id_number"]
    rows = []
    for record in resource.queryset(user).iterator(chunk_size=2_000):
        row = resource.export_row(record)
        if not full_ids:
            for index in id_columns:
                row[index] = mask_id_number(row[index])
        rows.append(row)
    if full_ids and id_columns and rows:
        from cadres.services import log_full_id_export

        log_full_id_export(
            user=user,
            description=_("%(sheet)s for re-import, with full ID numbers") % {"sheet": resource.verbose_name},
            row_count=len(rows),
        )
    return roster_workbook(resource, rows)
