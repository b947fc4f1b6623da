from django.db import models
from django.utils.translation import gettext_lazy as _


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
