"""Settings for a real Celery worker started by the worker tests: the project's, with a slow file mail backend."""

import os

from portal.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.partnership.slow_mail.SlowFileBackend"
# The test's own queue, also for the follow-up runs the dispatcher queues itself.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("WORKER_TEST_QUEUE", "celery")
