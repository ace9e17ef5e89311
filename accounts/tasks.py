from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_invitation_email(invitation_id, language):
    invitation = Invitation.objects.select_related("centre", "child", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return
    with translation.override(language):
        context = {"invitation": invitation, "url": settings.SITE_URL + invitation.get_absolute_url()}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
