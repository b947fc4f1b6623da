import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def assign_fields(instance, fields: dict, allowed: set[str]):
    """Set `fields` on `instance` for a service; a field outside `allowed` is a programming error."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def photo_upload_to(instance, filename: str) -> str:
    """Photos go to `<the model's upload_dir>/<year>/<month>/`."""
    from django.utils import timezone

    return f"{instance.upload_dir}/{timezone.now():%Y/%m}/{filename}"


class Photo(models.Model):
    """A photo stored cleaned of EXIF and GPS, with its thumbnail (see core.images.save_photos).

    Subclasses add the foreign key to what the photo shows and set `upload_dir`.
    """

    upload_dir = "photos"

    image = models.ImageField(_("photo"), upload_to=photo_upload_to)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_upload_to)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.image.name

    @property
    def file_names(self) -> list[str]:
        return [name for name in (self.image.name, self.thumbnail.name) if name]


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that asks for it.

    core.outbox.enqueue writes it and tries to publish it after the commit; core.outbox.flush
    publishes what is still pending, so that work asked for while the broker was down is kept
    and done later.
    """

    task_name = models.CharField(_("task name"), max_length=200)
    args = models.JSONField(_("positional arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    queue = models.CharField(_("queue"), max_length=200, blank=True)
    # The same id on every attempt, so that a worker's log or a result ties back to this row.
    task_id = models.UUIDField(_("task id"), default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            # The flush reads only pending rows, oldest first: sent rows, nearly all of them,
            # stay out of the index.
            models.Index(fields=["id"], condition=models.Q(sent_at__isnull=True), name="core_outbox_pending"),
        ]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"

    def clean(self):
        # The columns are JSON: a list and an object, as Celery's apply_async takes them.
        if not isinstance(self.args, list):
            raise ValidationError({"args": _("Positional arguments must be a list.")})
        if not isinstance(self.kwargs, dict):
            raise ValidationError({"kwargs": _("Keyword arguments must be an object.")})
