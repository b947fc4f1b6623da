"""An import of a spreadsheet: the uploaded file, its preview and its outcome, kept as the audit."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ImportJob(TimeStampedModel):
    """One upload, from validation and preview to the confirmed write (imports.services)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking")
        PREVIEWED = "previewed", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    # The slug of an imports.registry resource.
    resource = models.CharField(_("what is imported"), max_length=20)
    # Deleted once the import is done or the job is old (the purge_imports command); the
    # name and counts stay as the record of what was imported.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    # The uploader's branch when they are a branch secretary: what they could see then.
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    create_count = models.PositiveIntegerField(_("to create"), default=0)
    update_count = models.PositiveIntegerField(_("to update"), default=0)
    skip_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first IMPORT_MAX_STORED_ERRORS row errors, each {"row", "column", "message", "code"};
    # error_count holds how many there were in all.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # A sample of the updates: {"row", "name", "columns"} for the first rows that change.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    # Why the whole file was refused (unreadable, wrong headers); blank when rows are at fault.
    message = models.TextField(_("message"), blank=True)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="importjob_user_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="importjob_progress_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.get_resource_display()} · {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:job_detail", args=[self.pk])

    def get_resource_display(self) -> str:
        from imports.registry import resource_for

        resource = resource_for(self.resource)
        return str(resource.verbose_name) if resource else self.resource

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.UPLOADED, self.Status.VALIDATING, self.Status.IMPORTING)

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.PREVIEWED
