from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from common.dispatch import dispatch_due
from notifications.services import notify

from .models import ChildAgreement, Reminder
from .models.observations import Observation, Reply, Side, TipOutcome, other_side, people_of_side
from .services import agreements as agreement_services
from .services.reminders import record_failure as record_reminder_failure
from .services.reminders import send_reminder

# Observations, replies and tips: tell the other side, never with the observation's text.


def _author_name(user):
    return str(user) if user else gettext("Someone")


@shared_task
def notify_new_observation(observation_id):
    observation = (
        Observation.objects.select_related("child__group", "author")
        .filter(pk=observation_id, deleted_at__isnull=True)
        .first()
    )
    if observation is None:
        return

    def message():
        params = {
            "author": _author_name(observation.author),
            "child": observation.child.first_name,
            "theme": str(observation.get_theme_display()).lower(),
        }
        if observation.is_question:
            return gettext("%(author)s has a question about %(child)s (%(theme)s).") % params
        if observation.side == Side.HOME:
            return gettext("%(author)s shared an observation from home about %(child)s (%(theme)s).") % params
        return gettext("%(author)s shared an observation from the group about %(child)s (%(theme)s).") % params

    recipients = people_of_side(observation.child, other_side(observation.side))
    notify(recipients, message, observation.get_absolute_url(), exclude=observation.author)


@shared_task
def notify_new_reply(reply_id):
    reply = (
        Reply.objects.select_related("observation__child__group", "observation__author", "author")
        .filter(pk=reply_id, deleted_at__isnull=True)
        .first()
    )
    if reply is None:
        return
    observation = reply.observation

    def message():
        params = {"author": _author_name(reply.author), "child": observation.child.first_name}
        if reply.is_tip:
            return gettext("%(author)s shared a tip for %(child)s.") % params
        return gettext("%(author)s replied to an observation about %(child)s.") % params

    # A staff reply also reaches the wider family who follow this child.
    recipients = people_of_side(observation.child, other_side(reply.side), with_family=reply.side == Side.CENTRE)
    if observation.author is not None:
        recipients.append(observation.author)
    notify(recipients, message, reply.get_absolute_url(), exclude=reply.author)


@shared_task
def notify_tip_outcome(outcome_id):
    outcome = (
        TipOutcome.objects.select_related("tip__observation__child__group", "tip__author", "author")
        .filter(pk=outcome_id)
        .first()
    )
    if outcome is None:
        return
    tip = outcome.tip

    def message():
        params = {
            "author": _author_name(outcome.author),
            "child": tip.observation.child.first_name,
            "result": str(outcome.get_result_display()).lower(),
        }
        return gettext("%(author)s tried a tip for %(child)s: %(result)s.") % params

    recipients = people_of_side(tip.observation.child, tip.side)
    if tip.author is not None:
        recipients.append(tip.author)
    notify(recipients, message, tip.get_absolute_url(), exclude=outcome.author)


# Event reminders and agreement reviews: rows that are due, sent once by `common.dispatch.dispatch_due`.


@shared_task
def dispatch_reminders():
    """Run every minute by beat, and right after an announcement. Safe to run in several workers at once."""
    now = timezone.now()
    Reminder.objects.forget_started(now)
    Reminder.objects.top_up_nudges(now)
    result = dispatch_due(
        Reminder.objects.due(now),
        send_reminder,
        batch_size=settings.REMINDER_BATCH_SIZE,
        on_failure=record_reminder_failure,
    )
    reviews = dispatch_due(
        ChildAgreement.objects.review_due(timezone.localdate(now)).select_related("child__group"),
        agreement_services.send_review_reminder,
        sent_field="review_reminded_at",
        batch_size=settings.REMINDER_BATCH_SIZE,
    )
    from .talks_services import dispatch_talk_reminders

    talks = dispatch_talk_reminders(now, batch_size=settings.REMINDER_BATCH_SIZE)
    from .services.messages import dispatch_message_notices

    notices = dispatch_message_notices(now, batch_size=settings.REMINDER_BATCH_SIZE)
    if any(r.more and r.sent + r.skipped for r in (result, reviews, talks, notices)):
        dispatch_reminders.delay()  # a backlog: carry on at once instead of waiting for the next minute
    return result.sent + reviews.sent + talks.sent + notices.sent


# Photos with observations: re-encoded here rather than in the upload request (see children.photos).


@shared_task
def process_observation_photo(photo_pk):
    """Turn a newly uploaded observation photo into its served JPEG and thumbnail; the original is deleted."""
    from children.photos import process_stored

    from .models import ObservationPhoto

    return process_stored(
        ObservationPhoto.objects.all(),
        photo_pk,
        original="original",
        image="image",
        thumbnail="thumbnail",
        status="status",
        dimensions=True,
    )


@shared_task
def process_pending_observation_photos():
    """Every minute: photos whose task was lost (broker down) are processed all the same."""
    from children.photos import process_pending

    from .models import ObservationPhoto

    return process_pending(ObservationPhoto.objects.all(), process_observation_photo, created="created_at")


# Photos with group moments: re-encoded in the worker like observation photos.


@shared_task
def process_moment_photo(photo_pk):
    from children.photos import process_stored

    from .models import MomentPhoto

    return process_stored(
        MomentPhoto.objects.all(),
        photo_pk,
        original="original",
        image="image",
        thumbnail="thumbnail",
        status="status",
        dimensions=True,
    )


@shared_task
def process_pending_moment_photos():
    """Every minute: moment photos whose task was lost (broker down) are processed all the same."""
    from children.photos import process_pending

    from .models import MomentPhoto

    return process_pending(MomentPhoto.objects.all(), process_moment_photo, created="created_at")
