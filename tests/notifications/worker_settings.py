"""Settings for the real worker of the outbox tests: the project's, with beat's sweeps every two seconds."""

from portal.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "send-outbox": {"task": "notifications.tasks.send_outbox", "schedule": 2.0},
    "send-pending-notification-mail": {"task": "notifications.tasks.send_pending_notification_mail", "schedule": 2.0},
}
# A broker that comes back is reconnected to at once, also at start-up.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
