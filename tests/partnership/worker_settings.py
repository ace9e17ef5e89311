"""Settings for a real Celery worker started by the worker tests: the project's, with a slow file mail backend."""

from portal.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.partnership.slow_mail.SlowFileBackend"
