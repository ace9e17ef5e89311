import contextlib
import functools
import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.db import transaction

from portal.logs import TASK_HEADER, current_request_id, reset_request_id, set_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

logger = logging.getLogger("portal.tasks")


class Task(DjangoTask):
    """Tasks queued "on commit" never turn an unreachable broker into an error for the person acting.

    The action's rows are committed by then; what the task would have done is either an outbox row or a
    due row that a periodic sweep sends (notifications.outbox, common.dispatch). So a failure to queue is
    logged, and the request answers normally.
    """

    def delay_on_commit(self, *args, **kwargs):
        transaction.on_commit(functools.partial(self.queue_quietly, args, kwargs), robust=True)

    def apply_async_on_commit(self, args=None, kwargs=None, **options):
        transaction.on_commit(functools.partial(self.queue_quietly, args or (), kwargs or {}, **options), robust=True)

    def queue_quietly(self, args, kwargs, **options):
        try:
            return self.apply_async(args, kwargs, **options)
        except Exception as error:
            logger.warning("Could not queue %s (%s); a periodic sweep will do it.", self.name, error)
            return None


app = Celery("portal", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
