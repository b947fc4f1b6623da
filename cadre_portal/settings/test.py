"""Settings for the test suite: fast hashing, in-memory mail, no lockout carry-over."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, unless a test's worker process must leave its mail where the test can read it.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=None)
DEBUG = False
# Tests that need a real service say so; in CI REQUIRE_SERVICES=1 turns a missing one into a failure.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
AXES_VERBOSE = False
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
