"""Settings for the test suite: fast hashing, in-memory mail, no lockout carry-over."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
# Tests that need a real service say so; in CI REQUIRE_SERVICES=1 turns a missing one into a failure.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
AXES_VERBOSE = False
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
