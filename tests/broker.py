"""Point the project's Celery app at another broker for a test: a dead one (an outage) or a Redis of the
test's own. Publishing really goes there (not eager), and no connection to the previous broker is reused."""

from contextlib import contextmanager

from portal.celery import app

DEAD = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def _forget_connections():
    # kombu keeps connection and producer pools per address; the app caches the ones it picked.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url, *, eager=False):
    saved = app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager
    app.conf.broker_url = app.conf.broker_write_url = url
    app.conf.task_always_eager = eager
    _forget_connections()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager = saved
        _forget_connections()
