"""Settings shared by every environment, read from the environment through django-environ."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "treebeard",
    "axes",
    "auditlog",
    "import_export",
    "django_celery_beat",
]
LOCAL_APPS = [
    "accounts",
    "core",
    "cadres",
    "branches",
    "volunteers",
    "outreach",
    "benefits",
    "education",
    "reports",
    "reminders",
    "imports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cadre_portal.urls"
WSGI_APPLICATION = "cadre_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "core.context_processors.navigation",
            ],
        },
    },
]

# The embedded default is a SQLite file; DATABASE_URL=postgres://… switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username or IP is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserWithBranchBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle timeout: the session lives 30 minutes from the last request, not from login.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five failures lock the username, and separately the IP address.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production, whitenoise serves straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded photos go to S3-compatible object storage (MinIO in docker-compose.yml) when a
# bucket is named, so several web servers share them; otherwise to MEDIA_ROOT on local disk.
S3_BUCKET = env("DJANGO_S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("DJANGO_S3_ENDPOINT_URL", default=None),
            "access_key": env("DJANGO_S3_ACCESS_KEY", default=None),
            "secret_key": env("DJANGO_S3_SECRET_KEY", default=None),
            "region_name": env("DJANGO_S3_REGION", default=None),
            # Photos of people are private: links are signed and expire.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: REDIS_URL switches to a real broker. Without it tasks run in-process, so the
# embedded default needs no Redis.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "amqp://"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat reads its schedule from the database (django-celery-beat): the daily reminders'
# PeriodicTask is made by reminders' migration 0002 and can be changed in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# auditlog: every change to personal data and organisation records; ID numbers never
# stand in clear in the change log.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_MASK_CALLABLE = "core.masking.mask_id_number"
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "cadres.Cadre", "mask_fields": ["id_number"]},
    "branches.Branch",
    "branches.BranchOfficer",
    "branches.BranchMembership",
    {"model": "accounts.User", "exclude_fields": ["password", "last_login"]},
    # A needy elder's wish, who holds a chief's post, who lectures: personal records too.
    "volunteers.MicroWish",
    "volunteers.ChiefPost",
    "volunteers.TeamMembership",
    "outreach.Lecturer",
    "benefits.Occasion",
    "benefits.Visit",
    "benefits.HealthCheck",
    "benefits.MedalAward",
    "education.Enrolment",
)

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="cadre-portal@localhost")

# A list counts exactly up to LIST_COUNT_CAP rows (beyond, PostgreSQL's estimate) and pages
# through at most LIST_MAX_ROWS: bounds on COUNT and OFFSET, so no request scans a
# million-row table.
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=100)
LIST_MAX_ROWS = env.int("LIST_MAX_ROWS", default=10_000)
LIST_PAGE_SIZES = [20, 50, 100]

# Photos of activities and service records (core/images.py): JPEG or PNG by content.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)

# Spreadsheet imports (imports/): the largest file and the most rows one upload may hold; what
# an .xlsx may unpack to, and the compression ratio beyond which a zip member is a bomb; how
# many row errors a job keeps to show; how many days uploaded files are kept (purge_imports).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=16 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=300 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=200)
IMPORT_MAX_STORED_ERRORS = 1_000
IMPORT_KEEP_DAYS = env.int("IMPORT_KEEP_DAYS", default=7)
# The Celery queue of the import tasks; blank: the default queue. A queue of their own lets a
# worker of its own take long imports, so they never hold up the reminders.
IMPORT_QUEUE = env("IMPORT_QUEUE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
