import io
import struct
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from core.images import PhotoField, clean_photo, validate_photo

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def _english():
    # The messages are checked in their English source, whatever the catalogue says.
    with translation.override("en"):
        yield


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _jpeg(size=(60, 30), **options) -> bytes:
    return _encode(Image.new("RGB", size, "red"), "JPEG", **options)


def _png(size=(60, 30), mode="RGBA") -> bytes:
    return _encode(Image.new(mode, size, (0, 128, 0, 128)), "PNG")


def _phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Huawei"
    exif[ORIENTATION] = orientation
    # Pillow 13 writes a GPS IFD built through get_ifd(); assigning a dict of rational tuples to
    # exif[0x8825] fails on save with a TypeError.
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 0.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 0.0)
    return exif


def _png_claiming(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header claims another size: a decompression bomb that costs nothing to build."""
    data = bytearray(_encode(Image.new("1", (1, 1)), "PNG"))
    # Signature (8 bytes), then the IHDR chunk: length (4), type (4), data (13), CRC over type and data.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validate_photo(upload)
    return error.value


def test_it_accepts_a_small_jpeg_and_png_and_rewinds_them():
    for upload in (_upload(_jpeg()), _upload(_png(), "photo.png", "image/png")):
        validate_photo(upload)
        assert upload.tell() == 0


def test_it_strips_exif_and_gps_from_the_cleaned_photo():
    upload = _upload(_jpeg(exif=_phone_exif(), xmp=b"<x:xmpmeta>GPS 39.9N 116.4E</x:xmpmeta>"))
    assert Image.open(upload).getexif().get_ifd(GPS_IFD)  # the test photo really carries GPS

    full, thumb = clean_photo(upload)

    for cleaned in (full, thumb):
        image = Image.open(cleaned)
        assert image.format == "JPEG"
        assert GPS_IFD not in image.getexif()
        assert not image.getexif()
        assert "exif" not in image.info
        assert "xmp" not in image.info


def test_it_strips_exif_from_a_png():
    upload = _upload(_encode(Image.new("RGB", (20, 10)), "PNG", exif=_phone_exif()), "photo.png", "image/png")

    full, _thumb = clean_photo(upload)

    image = Image.open(full)
    assert image.format == "PNG"
    assert not image.getexif()


def test_it_applies_the_exif_orientation():
    upload = _upload(_jpeg(size=(60, 30), exif=_phone_exif(orientation=6)))

    full, thumb = clean_photo(upload)

    assert Image.open(full).size == (30, 60)
    assert Image.open(thumb).size == (30, 60)


def test_it_names_the_cleaned_files_after_the_upload():
    full, thumb = clean_photo(_upload(_jpeg(), "IMG_0042.jpeg"))
    assert (full.name, thumb.name) == ("IMG_0042.jpg", "IMG_0042_thumb.jpg")

    full, thumb = clean_photo(_upload(_png(), "scan.png", "image/png"))
    assert (full.name, thumb.name) == ("scan.png", "scan_thumb.jpg")


def test_it_makes_a_jpeg_thumbnail_of_at_most_400_pixels():
    _full, thumb = clean_photo(_upload(_png(size=(1200, 900)), "big.png", "image/png"))

    image = Image.open(thumb)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (400, 300)


def test_it_lays_a_transparent_png_on_white_in_the_thumbnail():
    transparent = _encode(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "PNG")

    _full, thumb = clean_photo(_upload(transparent, "clear.png", "image/png"))

    red, green, blue = Image.open(thumb).getpixel((5, 5))
    assert min(red, green, blue) > 250


def test_it_keeps_only_the_first_picture_of_a_phone_mpo():
    mpo = _encode(
        Image.new("RGB", (40, 20), "red"), "MPO", save_all=True, append_images=[Image.new("RGB", (40, 20))]
    )
    upload = _upload(mpo)
    assert Image.open(upload).format == "MPO"

    full, _thumb = clean_photo(upload)

    image = Image.open(full)
    assert image.format == "JPEG"
    assert getattr(image, "n_frames", 1) == 1


def test_it_refuses_a_text_file_named_jpg():
    error = _refusal(_upload(b"Minutes of the branch meeting, 3 March.\n" * 10))
    assert error.code == "photo_format"
    assert "JPEG and PNG" in error.message


def test_it_refuses_a_gif():
    gif = _encode(Image.new("P", (10, 10)), "GIF")
    error = _refusal(_upload(gif, "photo.gif", "image/gif"))
    assert error.code == "photo_format"


def test_it_refuses_an_empty_file():
    error = _refusal(_upload(b""))
    assert error.code == "photo_empty"
    assert "empty" in error.message


def test_it_refuses_a_20_mb_file_by_size_before_decoding():
    # A PNG signature then zeros: any attempt to decode would fail with another message.
    upload = _upload(b"\x89PNG\r\n\x1a\n" + bytes(20 * 1024 * 1024), "photo.png", "image/png")

    error = _refusal(upload)

    assert error.code == "photo_too_large"
    assert "10 MB" in error.message
    assert "(20 MB)" in error.message


def test_it_reads_the_limits_from_settings(settings):
    settings.PHOTO_MAX_BYTES = 1024
    settings.PHOTO_MAX_PIXELS = 100
    assert _refusal(_upload(_jpeg(size=(10, 10)) + bytes(2048))).code == "photo_too_large"
    assert _refusal(_upload(_jpeg(size=(20, 10)))).code == "photo_too_many_pixels"


def test_it_refuses_a_decompression_bomb_without_decoding_it():
    # 30000 x 30000 = 900 megapixels claimed by a file of a few dozen bytes; had it been
    # decoded, the missing pixel data would have been reported as damage instead.
    upload = _upload(_png_claiming(30000, 30000), "bomb.png", "image/png")

    error = _refusal(upload)

    assert error.code == "photo_too_many_pixels"
    assert "40 megapixels" in error.message
    assert upload.tell() == 0


def test_it_refuses_too_many_pixels_from_the_header():
    # 64 megapixels: under Pillow's own limit (about 89), over ours.
    error = _refusal(_upload(_png_claiming(8000, 8000), "huge.png", "image/png"))
    assert error.code == "photo_too_many_pixels"
    assert "64 megapixels" in error.message


def test_it_refuses_what_pillow_only_warns_about_even_under_a_higher_limit(settings):
    # Between about 89 and 178 megapixels Pillow merely warns; the warning must still refuse.
    settings.PHOTO_MAX_PIXELS = 150_000_000
    error = _refusal(_upload(_png_claiming(10000, 10000), "huge.png", "image/png"))
    assert error.code == "photo_too_many_pixels"
    assert "cannot be processed safely" in error.message


def test_it_refuses_a_truncated_jpeg():
    noisy = _encode(Image.effect_noise((200, 200), 60).convert("RGB"), "JPEG")
    error = _refusal(_upload(noisy[: len(noisy) // 2]))
    assert error.code == "photo_damaged"


def test_it_refuses_a_png_with_a_corrupt_chunk():
    data = bytearray(_encode(Image.effect_noise((50, 50), 60), "PNG"))
    data[-30] ^= 0xFF  # inside the image data, so its CRC no longer matches
    error = _refusal(_upload(bytes(data), "photo.png", "image/png"))
    assert error.code == "photo_damaged"


class _PhotoForm(forms.Form):
    photo = PhotoField()


def test_it_shows_the_refusal_on_the_form_field():
    form = _PhotoForm(data={}, files={"photo": _upload(b"not a photo at all")})

    assert not form.is_valid()
    assert form.errors["photo"] == ["Only JPEG and PNG photos are accepted; this file is neither."]


def test_it_accepts_a_photo_in_the_form_and_asks_phones_for_images():
    form = _PhotoForm(data={}, files={"photo": _upload(_jpeg())})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["photo"].name == "photo.jpg"
    assert 'accept="image/jpeg,image/png"' in str(form["photo"])
