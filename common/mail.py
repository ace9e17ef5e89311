"""Mail in the recipient's language: one template pair per message, rendered as plain text, then sent.

Every email of the portal is a pair of templates, `<name>_subject.txt` and `<name>_body.txt`. They are rendered
with the recipient's language active and without HTML escaping (a plain-text mail shows `'` and `&` as
they are), with `site_url` in the context for links back to the portal.
"""

from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template import Context
from django.template.loader import get_template
from django.utils import translation


def render_text(template_name, context):
    """Render a Django template as plain text: no HTML escaping."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_mail(template, context, language):
    """The (subject, body) of the template pair `template`, in `language`."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_text(f"{template}_subject.txt", context)
        body = render_text(f"{template}_body.txt", context)
    return " ".join(subject.split()), body  # a subject is one line, whatever the template's whitespace


def send_mail(to, template, context, *, language, reply_to=None, headers=None):
    """Render the template pair in `language` and send it to the address `to` (or a list of addresses).

    Raises what the mail backend raises (OSError when the server cannot be reached), so the caller can leave
    its row unsent and try again.
    """
    subject, body = render_mail(template, context, language)
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMessage(subject, body, None, recipients, reply_to=reply_to or None, headers=headers)
    shared = _shared_connection.get()
    if shared is None:
        message.send()
        return
    try:
        if not shared["open"]:
            if callable(opener := getattr(shared["connection"], "open", None)):
                opener()  # a backend without open/close just sends each message on its own
            shared["open"] = True
        message.connection = shared["connection"]
        message.send()
    except Exception:
        _close(shared)  # a broken connection is not reused: the next message opens a new one
        raise


_shared_connection = ContextVar("samenspel_mail_connection", default=None)


@contextmanager
def one_connection():
    """Within the block, every `send_mail` goes through one connection to the mail server (opened at the first
    message, closed at the end): a batch of reminders costs one SMTP session rather than one per message.
    Each message is still handed to the server when `send_mail` returns."""
    if _shared_connection.get() is not None:
        yield  # already inside a batch
        return
    shared = {"connection": get_connection(), "open": False}
    token = _shared_connection.set(shared)
    try:
        yield
    finally:
        _shared_connection.reset(token)
        _close(shared)


def _close(shared):
    if shared["open"]:
        shared["open"] = False
        with suppress(Exception):  # closing a connection that already broke
            if callable(closer := getattr(shared["connection"], "close", None)):
                closer()
