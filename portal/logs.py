"""Logging: one request id on every line a request writes, carried into the Celery tasks it queues.

The id comes from the proxy's `X-Request-ID` header when it looks sane, else it is made up here; it is sent
back in the answer's `X-Request-ID` header. Tasks queued while handling the request carry it in their message
headers (`portal.celery` adds it on publish and sets it again in the worker), so a worker's lines can be
found next to the request that caused them.

Production writes JSON lines (one object per line: time, level, logger, message, request_id, exception);
development writes readable text. `LOG_FORMAT=json|text` overrides the choice.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# A proxy's id is taken as it is when it is short and plain; anything else is replaced, so a crafted
# header cannot forge log lines or fill them.
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_request_id = contextvars.ContextVar("request_id", default=None)


def current_request_id():
    return _request_id.get()


def set_request_id(value):
    """Set the id for the current context; returns a token for `reset_request_id`."""
    return _request_id.set(value)


def reset_request_id(token):
    _request_id.reset(token)


def new_request_id():
    return uuid.uuid4().hex


def clean_request_id(value):
    """The given id when it is acceptable, else a new one."""
    if value and VALID_ID.match(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    """Give every request an id (the proxy's or a new one), for its log lines and its answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        # Kept until the request is finished (see below): Django logs a 4xx/5xx answer after the middleware.
        set_request_id(request_id)
        _tag_error_reports(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def forget_request_id(**kwargs):
    _request_id.set(None)


def _tag_error_reports(request_id):
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - sentry-sdk is in requirements.txt
        return
    if sentry_sdk.is_initialized():
        sentry_sdk.set_tag("request_id", request_id)


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (or "-") to every record, so formatters can always use it."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True


# Attributes every LogRecord has; anything else on a record was passed in `extra=` and is logged too.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
            "process": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, json_lines, level="INFO"):
    """The LOGGING setting: everything to stderr, as JSON lines or as text, with the request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "portal.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "portal.logs.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own request logger goes to the root handler only (no duplicate lines).
            "django": {"level": level, "propagate": True},
        },
    }


def init_error_reporting(dsn, *, environment="production", release=None, traces_sample_rate=0.0):
    """Send errors to Sentry (or a compatible service) without personal data: no user, cookies, request
    bodies or local variables, since those may hold what a parent wrote about a child."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
    )
