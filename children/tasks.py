"""Periodic privacy work: the retention rule for children who left, and pruning the access log.

Both are safe to run twice: a child already deleted is not found again, a notice is written once per date.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone

from common.mail import send_mail
from notifications import outbox

from .models import AccessLog, Centre, Child, RetentionNotice
from .privacy.services import children_in_retention_window, delete_child_data, retention_step

logger = logging.getLogger(__name__)


@shared_task
def prune_access_log():
    """The access log keeps its entries for its own retention period, then drops them."""
    before = timezone.now() - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    return AccessLog.objects.prune(before)


@shared_task
def apply_retention():
    """Tell parents ahead of time, then delete the data of children whose retention period is over."""
    today = timezone.localdate()
    deleted = 0
    for centre in Centre.objects.all():
        for child_id in children_in_retention_window(centre, today).values_list("pk", flat=True):
            deleted += apply_retention_to(child_id, centre, today)
    return deleted


def apply_retention_to(child_id, centre, today):
    """One child, under a row lock (another run busy with it skips it). Returns 1 when its data was deleted."""
    try:
        with transaction.atomic():
            child = Child.objects.select_for_update(skip_locked=True).filter(pk=child_id).first()
            if child is None:
                return 0
            step, day = retention_step(child, centre, today)
            if step == "warn":
                notice, created = RetentionNotice.objects.get_or_create(child=child, delete_on=day)
                if created:
                    outbox.add(send_retention_notice, notice.pk)
            elif step == "delete":
                delete_child_data(child)
                return 1
    except (ProtectedError, RestrictedError):
        logger.exception("The data of child %s could not be deleted: other data still refers to it", child_id)
    return 0


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_retention_notice(notice_id):
    """Tell each parent when their child's data will be deleted, and where to download it before then."""
    notice = RetentionNotice.objects.select_related("child__group__centre").filter(pk=notice_id).first()
    if notice is None:
        return
    child = notice.child
    for parent in child.guardianships.select_related("user").filter(user__is_active=True):
        user = parent.user
        context = {
            "user": user,
            "child": child,
            "centre": child.group.centre,
            "delete_on": notice.delete_on,
            "export_url": settings.SITE_URL + reverse("children:child_export", args=[child.pk]),
            "privacy_url": settings.SITE_URL + reverse("children:my_privacy"),
        }
        send_mail(user.email, "children/privacy/email/retention_notice", context, language=user.language)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_account_closed_email(address, language, name):
    """The last email to a closed account's old address: it is done."""
    context = {"name": name, "privacy_url": settings.SITE_URL + reverse("children:privacy_statement")}
    send_mail(address, "children/privacy/email/account_closed", context, language=language)


# Photos: re-encoded here rather than in the upload request (see children.photos).


@shared_task
def process_child_photo(child_pk):
    """Turn a child's newly uploaded photo into its served JPEG and thumbnail; the original is deleted."""
    from .photos import process_stored

    return process_stored(
        Child.objects.all(),
        child_pk,
        original="photo_original",
        image="photo",
        thumbnail="photo_thumbnail",
        status="photo_status",
    )


@shared_task
def process_pending_child_photos():
    """Every minute: profile photos whose task was lost (broker down) are processed all the same."""
    from .photos import process_pending

    return process_pending(Child.objects.all(), process_child_photo, status="photo_status")
