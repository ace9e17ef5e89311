from celery import shared_task
from django.conf import settings

from common.mail import send_mail

from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_invitation_email(invitation_id, language):
    invitation = Invitation.objects.select_related("centre", "child", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return
    context = {"invitation": invitation, "url": settings.SITE_URL + invitation.get_absolute_url()}
    send_mail(invitation.email, "accounts/email/invitation", context, language=language)
