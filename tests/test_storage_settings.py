"""The default storage is local disk unless an S3 bucket is named (MinIO in docker-compose.yml)."""

import subprocess
import sys


def _default_storage_backend(env: dict) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cadre_portal.settings.production'; "
        "django.setup(); from django.conf import settings; from django.core.files.storage import storages; "
        "print(settings.STORAGES['default']['BACKEND']); print(type(storages['default']).__name__)"
    )
    base = {
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env, "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_it_keeps_photos_on_local_disk_by_default():
    out = _default_storage_backend({})
    assert "FileSystemStorage" in out


def test_it_puts_photos_in_a_private_s3_bucket_when_one_is_named():
    out = _default_storage_backend(
        {
            "DJANGO_S3_BUCKET": "photos",
            "DJANGO_S3_ENDPOINT_URL": "http://minio:9000",
            "DJANGO_S3_ACCESS_KEY": "k",
            "DJANGO_S3_SECRET_KEY": "s",
        }
    )
    assert "storages.backends.s3.S3Storage" in out
    assert "S3Storage" in out.splitlines()[1]
