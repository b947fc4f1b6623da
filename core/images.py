"""Uploaded photos (activities, service records): refuse what is unsafe, strip what is private."""

import io
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

# Only these parsers ever see uploaded bytes: Pillow's rarer format parsers are where most of its
# security fixes have landed. A phone's multi-picture JPEG opens as "MPO" through the JPEG parser.
_PARSERS = ("JPEG", "PNG")
# What Pillow raises on a malformed file (the list its own fuzz tests accept); anything else is a bug.
_PILLOW_ERRORS = (OSError, SyntaxError, ValueError, NotImplementedError, OverflowError)
# Kept through re-encoding, as drawing needs them. The rest (EXIF, XMP, PNG text) can carry GPS,
# the time and the phone's serial number; Pillow's JPEG and PNG writers leave it out unless asked,
# and clearing it keeps that true whatever a later writer or Pillow release copies over.
_KEPT_INFO = ("icc_profile", "transparency")
THUMBNAIL_SIZE = (400, 400)
JPEG_QUALITY = 85


def _max_bytes() -> int:
    return getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024)


def _max_pixels() -> int:
    return getattr(settings, "PHOTO_MAX_PIXELS", 40_000_000)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _open(uploaded_file) -> Image.Image:
    """Read the header only: the pixels are decoded later, on load()."""
    uploaded_file.seek(0)
    # Pillow only warns between its limit and twice it; as an error it cannot slip past. The
    # filter is process-wide, not per thread, but the pixel limit in validate_photo stands behind it.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(uploaded_file, formats=_PARSERS)


def _damaged() -> ValidationError:
    return ValidationError(
        _("The photo is damaged or incomplete; please take or choose it again."), code="photo_damaged"
    )


def validate_photo(uploaded_file) -> None:
    """Raise ValidationError with a precise message unless the upload is a sound JPEG or PNG photo."""
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The photo is empty."), code="photo_empty")
    if size > _max_bytes():
        raise ValidationError(
            _("The photo is larger than %(limit)s MB (%(size)s MB).")
            % {"limit": _megabytes(_max_bytes()), "size": _megabytes(size)},
            code="photo_too_large",
        )
    try:
        with _open(uploaded_file) as image:
            pixels = image.width * image.height
            if pixels > _max_pixels():
                raise ValidationError(
                    _("The photo has %(pixels)s megapixels; at most %(limit)s are accepted.")
                    % {"pixels": _megapixels(pixels), "limit": _megapixels(_max_pixels())},
                    code="photo_too_many_pixels",
                )
            image.verify()
        # verify() checks PNG chunks but not JPEG scan data, and leaves the image unusable: a
        # second open decodes it, which is what finds a truncated file. At 1/8 scale for a JPEG,
        # it costs a fraction of the time and memory.
        with _open(uploaded_file) as image:
            image.draft(None, (1, 1))
            image.load()
    except Image.UnidentifiedImageError:
        raise ValidationError(
            _("Only JPEG and PNG photos are accepted; this file is neither."), code="photo_format"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The photo claims to be larger than %(limit)s megapixels and cannot be processed safely.")
            % {"limit": _megapixels(_max_pixels())},
            code="photo_too_many_pixels",
        ) from None
    except _PILLOW_ERRORS:
        raise _damaged() from None
    finally:
        uploaded_file.seek(0)


def _thumbnail(image: Image.Image) -> Image.Image:
    thumb = image.copy() if image.mode in ("RGB", "L") else image.convert("RGBA")
    thumb.thumbnail(THUMBNAIL_SIZE)
    if thumb.mode == "RGBA":
        # JPEG has no transparency; lay the picture on white rather than the black convert("RGB") gives.
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb, mask=thumb)
        thumb = background
    return thumb


def clean_photo(uploaded_file) -> tuple[ContentFile, ContentFile]:
    """Validate the upload and return it upright and without EXIF/GPS metadata, with a JPEG thumbnail."""
    validate_photo(uploaded_file)
    stem = Path(uploaded_file.name or "").stem or "photo"
    try:
        with _open(uploaded_file) as image:
            is_png = image.format == "PNG"
            upright = ImageOps.exif_transpose(image)
    except _PILLOW_ERRORS:
        raise _damaged() from None
    finally:
        uploaded_file.seek(0)
    upright.info = {key: upright.info[key] for key in _KEPT_INFO if key in upright.info}
    # The colour profile stays: iPhones shoot in Display P3, which looks dull read as sRGB.
    icc_profile = upright.info.get("icc_profile")

    full = io.BytesIO()
    if is_png:
        upright.save(full, "PNG")
    else:
        upright.save(full, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=icc_profile)
    thumb = _thumbnail(upright)
    small = io.BytesIO()
    thumb.save(
        small,
        "JPEG",
        quality=JPEG_QUALITY,
        optimize=True,
        # A profile only fits pixels still in the colour model it describes.
        icc_profile=icc_profile if thumb.mode == upright.mode else None,
    )
    return (
        ContentFile(full.getvalue(), name=f"{stem}.{'png' if is_png else 'jpg'}"),
        ContentFile(small.getvalue(), name=f"{stem}_thumb.jpg"),
    )


def save_photos(*, files, new_photo) -> list:
    """Store each upload cleaned of EXIF and GPS, with a thumbnail, on a row from `new_photo()`
    (an unsaved core.models.Photo). Every file is checked before any is written, and when one
    fails the files already written are removed: one bad file stores none. Call inside a
    transaction, so the rows go with the files."""
    cleaned = [clean_photo(upload) for upload in files]
    photos, written = [], []
    try:
        for full, thumb in cleaned:
            photo = new_photo()
            photo.image.save(full.name, full, save=False)
            written.append((photo.image.storage, photo.image.name))
            photo.thumbnail.save(thumb.name, thumb, save=False)
            written.append((photo.thumbnail.storage, photo.thumbnail.name))
            photo.save()
            photos.append(photo)
    except Exception:
        for storage, name in written:  # no row points at these files any more
            storage.delete(name)
        raise
    return photos


def delete_photo_files_on_commit(photos) -> None:
    """Delete the files of `photos` (rows being deleted in this transaction) once it commits."""
    files = [
        (field.storage, field.name)
        for photo in photos
        for field in (photo.image, photo.thumbnail)
        if field.name
    ]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


class PhotoField(forms.FileField):
    """A file field that accepts only a sound JPEG or PNG photo (see validate_photo)."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # Phones then offer the camera and the photo gallery, and no other files.
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = "image/jpeg,image/png"
        return attrs

    def to_python(self, data):
        # FileField.clean() calls this for a new upload only, not for the file already saved or a
        # cleared one; its ValidationError lands on this field, as Django's ImageField does it.
        photo = super().to_python(data)
        if photo is not None:
            validate_photo(photo)
        return photo


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(PhotoField):
    """Several photos in one input (Django's documented pattern); each is checked as PhotoField does."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PhotoUploadForm(forms.Form):
    """Photos added to a record after it was saved."""

    photos = MultiplePhotoField(
        label=gettext_lazy("Photos"),
        required=True,
        help_text=gettext_lazy("JPEG or PNG, at most 10 MB each."),
    )
