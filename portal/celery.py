import contextlib
import logging
import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from portal.logs import TASK_HEADER, current_request_id, reset_request_id, set_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("portal.tasks")


@before_task_publish.connect
def carry_request_id(headers=None, **kwargs):
    """A task queued while handling a request carries that request's id in its message headers."""
    request_id = current_request_id()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


_tokens = {}


@task_prerun.connect
def start_task_log(task_id=None, task=None, **kwargs):
    """In the worker: log lines of the task carry the id of the request that queued it."""
    request_id = getattr(task.request, TASK_HEADER, None) or (task.request.headers or {}).get(TASK_HEADER)
    if request_id:
        _tokens[task_id] = set_request_id(request_id)
    if not task.request.is_eager:
        logger.info("Task %s[%s] started", task.name, task_id, extra={"task": task.name, "task_id": task_id})


@task_postrun.connect
def end_task_log(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        # Set in another context (a thread pool): nothing to undo there.
        with contextlib.suppress(ValueError):
            reset_request_id(token)
