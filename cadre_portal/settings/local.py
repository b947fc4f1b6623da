"""Settings for `make run`: the embedded default (SQLite, no Redis) with debugging on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
