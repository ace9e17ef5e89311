"""The other side hears about new observations, questions, replies and tried tips, as each person prefers."""

import uuid

from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from notifications.models import Notification
from notifications.tasks import send_daily_digests
from partnership.models import Observation, Side, Theme

from .factories import ObservationFactory, ReplyFactory

SECRET_TEXT = "Sam was erg verdrietig bij het afscheid vanochtend."


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise OSError("mail server unreachable")


def post_observation(client, child, **data):
    payload = {
        "observed_on": timezone.localdate().isoformat(),
        "theme": Theme.SOCIAL_EMOTIONAL,
        "text": SECRET_TEXT,
        "token": str(uuid.uuid4()),
        **data,
    }
    return client.post(reverse("partnership:observation_create", args=[child.pk]), payload)


def post_reply(client, observation, **data):
    prefix = f"reply-{observation.pk}"
    payload = {f"{prefix}-text": SECRET_TEXT, **{f"{prefix}-{k}": v for k, v in data.items()}}
    return client.post(reverse("partnership:reply_create", args=[observation.pk]), payload)


def assert_no_private_text(mails):
    for mail in mails:
        assert SECRET_TEXT not in mail.subject and SECRET_TEXT not in mail.body
        assert "verdrietig" not in mail.body


def test_parent_observation_notifies_the_groups_staff_at_once(
    client,
    ouder,
    medewerker,
    manager,
    medewerker_elders,
    ouder_buur,
    kind,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind)
    observation = Observation.objects.get()
    assert list(Notification.objects.values_list("recipient__email", flat=True)) == [medewerker.email]
    notification = Notification.objects.get()
    assert notification.url == observation.get_absolute_url()
    assert SECRET_TEXT not in notification.message and "Anne de Vries" in notification.message
    [mail] = mailoutbox
    assert mail.to == [medewerker.email]
    assert observation.get_absolute_url() in mail.body
    assert_no_private_text(mailoutbox)


def test_staff_observation_notifies_the_parents(
    client, ouder, medewerker, kind, ouder_buur, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import GuardianshipFactory

    second_parent = GuardianshipFactory(child=kind).user
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind)
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {ouder.pk, second_parent.pk}
    assert {m.to[0] for m in mailoutbox} == {ouder.email, second_parent.email}
    assert_no_private_text(mailoutbox)


def test_question_is_named_as_a_question(client, ouder, medewerker, kind, django_capture_on_commit_callbacks):
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind, is_question="on")
    with translation.override("nl"):
        expected = translation.gettext("%(author)s has a question about %(child)s (%(theme)s).") % {
            "author": "Anne de Vries",
            "child": kind.first_name,
            "theme": str(Theme.SOCIAL_EMOTIONAL.label).lower(),
        }
    assert Notification.objects.get(recipient=medewerker).message == expected


def test_message_is_in_the_recipients_language(client, ouder, medewerker, kind, django_capture_on_commit_callbacks):
    User.objects.filter(pk=medewerker.pk).update(language="en")
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind)
    message = Notification.objects.get(recipient=medewerker).message
    assert message == f"Anne de Vries shared an observation from home about {kind.first_name} (social-emotional)."


def test_digest_preference_waits_for_the_daily_mail(
    client, ouder, medewerker, kind, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=medewerker.pk).update(notification_preference=User.NotificationPreference.DIGEST)
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind)
    assert Notification.objects.filter(recipient=medewerker).count() == 1
    assert mailoutbox == []
    send_daily_digests()
    [mail] = mailoutbox
    assert mail.to == [medewerker.email]
    assert_no_private_text(mailoutbox)
    assert Notification.objects.get(recipient=medewerker).emailed_at is not None


def test_portal_preference_never_mails(client, ouder, medewerker, kind, mailoutbox, django_capture_on_commit_callbacks):
    User.objects.filter(pk=medewerker.pk).update(notification_preference=User.NotificationPreference.PORTAL)
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind)
    send_daily_digests()
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=medewerker, read_at__isnull=True).count() == 1
    client.force_login(medewerker)
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Anne de Vries" in page


def test_a_failing_mail_server_loses_nothing(
    client, ouder, medewerker, kind, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.partnership.test_observations_notifications.FailingBackend"
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        # The mail task fails (and retries); the request and the observation are not affected.
        response = post_observation(client, kind)
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.text == SECRET_TEXT
    notification = Notification.objects.get(recipient=medewerker)
    assert notification.emailed_at is None  # so a later run can still mail it
    client.force_login(medewerker)
    assert SECRET_TEXT in client.get(observation.get_absolute_url()).content.decode()


def test_reply_notifies_the_other_side_and_the_author(
    client, ouder, medewerker, kind, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(centre=kind.group.centre, role="staff", groups=[kind.group]).user
    staff_observation = ObservationFactory(child=kind, author=colleague, side=Side.CENTRE)
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, staff_observation, is_tip="on")
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {ouder.pk, colleague.pk}
    with translation.override("nl"):
        expected = translation.gettext("%(author)s shared a tip for %(child)s.") % {
            "author": "Fatima Yilmaz",
            "child": kind.first_name,
        }
    assert Notification.objects.get(recipient=ouder).message == expected
    assert_no_private_text(mailoutbox)


def test_parent_reply_notifies_staff(client, ouder, medewerker, kind, django_capture_on_commit_callbacks):
    observation = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE)
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, observation)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [medewerker.pk]


def test_tip_outcome_notifies_the_tips_author(
    client, ouder, medewerker, kind, mailoutbox, django_capture_on_commit_callbacks
):
    tip = ReplyFactory(observation__child=kind, observation__author=ouder, author=medewerker, is_tip=True)
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnership:tip_outcome", args=[tip.pk]), {"result": "partly", "comment": SECRET_TEXT})
    notification = Notification.objects.get()
    assert notification.recipient == medewerker
    assert notification.url == tip.get_absolute_url()
    assert_no_private_text(mailoutbox)


def test_managers_hear_it_when_the_group_has_no_staff(client, ouder, manager, kind, django_capture_on_commit_callbacks):
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [manager.pk]


def test_nobody_of_another_centre_or_child_is_told(
    client, ouder, kind, medewerker, ouder_buur, medewerker_elders, manager_elders, ouder_elders, trainer,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        post_observation(client, kind)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [ouder.pk]


def test_deleted_before_the_task_ran_sends_nothing(ouder, medewerker, kind):
    from partnership.tasks import notify_new_observation

    observation = ObservationFactory(child=kind, author=ouder)
    observation.soft_delete()
    notify_new_observation(observation.pk)
    assert not Notification.objects.exists()
