"""Mail in the recipient's language: one template pair per message, rendered as plain text, then sent.

Every email of the portal is a pair of templates, `<name>_subject.txt` and `<name>_body.txt`. They are rendered
with the recipient's language active and without HTML escaping (a plain-text mail shows `'` and `&` as
they are), with `site_url` in the context for links back to the portal.
"""

from django.conf import settings
from django.core.mail import EmailMessage
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
    EmailMessage(subject, body, None, recipients, reply_to=reply_to or None, headers=headers).send()
