"""Settings for Samenspel, read from the environment (12-factor).

Development defaults are safe and need nothing running: a SQLite file, a
filesystem broker for Celery and email on the console. Production (DEBUG off)
refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.logs import init_error_reporting, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Base URL used in emails and calendar feeds, where no request is at hand.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "csp",
    "common",
    "notifications",
    "accounts",
    "children",
    "partnership",
    "trainings",
    # The project itself: health checks, logs, the backup and restore commands.
    "portal",
]

MIDDLEWARE = [
    "portal.logs.RequestIdMiddleware",
    # Health checks answer before host checks and the HTTPS redirect: a load balancer asks by IP, over HTTP.
    "portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "common.middleware.NormalizeNewlinesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "children.scope.ScopeCacheMiddleware",  # who-sees-what worked out once per request
    "common.cache_control.PrivateNoStoreMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "accounts.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
            # Dates as people say them ("29 nov.", "2 minuten geleden") in every template, without a {% load %}.
            "builtins": ["common.templatetags.dates"],
        },
    },
]

# Database: Postgres in production and tests, a SQLite file for `make run` without one.
if DEBUG:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'samenspel.sqlite3'}")}
else:
    if not env.str("DATABASE_URL", default=""):
        raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off.")
    DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared Redis in production so allauth's rate limits hold across workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email login, verification, login by code, MFA, sessions; sign-up by invitation only.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.InvitationSignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samenspel] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samenspel"
# Recording last-seen on every request would cost a write per page view.
USERSESSIONS_TRACK_ACTIVITY = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Language: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Display formats per language ("29 nov.", "22 dec. 19:30"); see common/formats/.
FORMAT_MODULE_PATH = ["common.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Private uploads (photos): never served from a public URL, only through views that check access.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = None
# Several web instances: uploads in S3-compatible object storage (MinIO, AWS, a Dutch cloud) when a bucket is
# set (needs django-storages[s3]). Still private: no public ACL and no public URL; the views that check access
# read the object and stream it, as from disk.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,  # any URL it makes is signed and short-lived
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email: console in development, SMTP or a provider from EMAIL_URL in production.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Samenspel <noreply@samenspel.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Celery: Redis in production; a filesystem broker for `make run` so nothing else has to run.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # task_time_limit stays below this, so a message is never redelivered while it still runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# With the broker down, queueing a task gives up quickly: the request must answer normally, and the outbox
# sweep sends what was not queued once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)  # tests only
# Like a real worker, a failing eager task does not fail the request that queued it.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-notification-digests": {
        "task": "partnership.tasks.send_daily_digests",  # notifications.tasks, under its old name
        "schedule": crontab(hour=18, minute=0),
    },
    "send-training-reminders": {
        "task": "trainings.tasks.dispatch_training_reminders",
        "schedule": crontab(),
    },
    "send-pending-training-mail": {
        "task": "trainings.tasks.send_pending_mail",
        "schedule": crontab(minute="*/15"),
    },
    "anonymise-closed-intake-requests": {
        "task": "trainings.tasks.anonymise_closed_intake_requests",
        "schedule": crontab(hour=3, minute=30),
    },
    "send-event-reminders": {
        "task": "partnership.tasks.dispatch_reminders",
        "schedule": crontab(),
    },
    "process-pending-moment-photos": {
        "task": "partnership.tasks.process_pending_moment_photos",
        "schedule": crontab(),
    },
    "process-pending-photos": {
        "task": "children.tasks.process_pending_child_photos",
        "schedule": crontab(),
    },
    "process-pending-observation-photos": {
        "task": "partnership.tasks.process_pending_observation_photos",
        "schedule": crontab(),
    },
    "send-outbox": {
        "task": "notifications.tasks.send_outbox",
        "schedule": crontab(),
    },
    "send-pending-notification-mail": {
        "task": "notifications.tasks.send_pending_notification_mail",
        "schedule": crontab(),
    },
    "apply-child-data-retention": {
        "task": "children.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=15),
    },
    "prune-access-log": {
        "task": "children.tasks.prune_access_log",
        "schedule": crontab(hour=2, minute=45),
    },
}

# Security: strict in production; `manage.py check --deploy` stays silent with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "manifest-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Logs: JSON lines in production, readable text in development (LOG_FORMAT=json|text overrides), each line
# with the request id (portal.logs); the worker logs through the same configuration.
LOGGING = logging_config(
    json_lines=env.str("LOG_FORMAT", default="text" if DEBUG else "json") == "json",
    level=env.str("LOG_LEVEL", default="INFO"),
)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reporting: only when SENTRY_DSN is set; never personal data (see portal.logs.init_error_reporting).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_error_reporting(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Health: a queue (outbox, due reminders) whose oldest row waits longer than this many seconds is "stuck".
HEALTH_MAX_QUEUE_AGE = env.int("HEALTH_MAX_QUEUE_AGE", default=600)

# How long an invitation link stays valid.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# Training offer: closed intake requests are anonymised after this many months.
TRAININGS_INTAKE_RETENTION_MONTHS = env.int("TRAININGS_INTAKE_RETENTION_MONTHS", default=12)

# Event reminders: how many rows one run of the dispatcher handles before it queues the next run.
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=50)

# Privacy: how long the access log keeps its entries, and how long before deletion parents are warned.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=365)
RETENTION_WARNING_DAYS = env.int("RETENTION_WARNING_DAYS", default=30)
# Privacy: repeated reads of the same child by the same person within this many seconds are logged once.
ACCESS_LOG_REPEAT_WINDOW_SECONDS = env.int("ACCESS_LOG_REPEAT_WINDOW_SECONDS", default=300)

# Photos: the largest file accepted; per image, a 24-megapixel camera photo (6000 x 4000) passes and a 6300 x 6300
# image does not; per request, what one worker may have to decode for one form (all photos together).
PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
PHOTO_MAX_SOURCE_PIXELS = env.int("PHOTO_MAX_SOURCE_PIXELS", default=24_000_000)
PHOTO_MAX_REQUEST_PIXELS = env.int("PHOTO_MAX_REQUEST_PIXELS", default=50_000_000)
