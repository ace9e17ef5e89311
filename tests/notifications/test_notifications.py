"""The bell: notifications per person, opening marks read, email at once or as a daily digest."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_daily_digests, send_notification_email


def message():
    from django.utils.translation import gettext

    return gettext("Next")


def test_notify_writes_one_row_per_person_in_their_language(ouder, medewerker, django_capture_on_commit_callbacks):
    medewerker.language = "en"
    medewerker.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([ouder, medewerker, ouder], message, "/x/", exclude=None)
    assert Notification.objects.get(recipient=ouder).message == "Volgende"
    assert Notification.objects.get(recipient=medewerker).message == "Next"


def test_actor_is_not_notified(ouder, medewerker):
    notify([ouder, medewerker], message, "/x/", exclude=medewerker)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [ouder.pk]


@pytest.mark.parametrize("preference, mails", [("instant", 1), ("digest", 0), ("portal", 0)])
def test_email_at_once_only_for_instant(ouder, mailoutbox, django_capture_on_commit_callbacks, preference, mails):
    ouder.notification_preference = preference
    ouder.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([ouder], message, "/children/1/")
    assert len(mailoutbox) == mails
    if mails:
        assert "/children/1/" in mailoutbox[0].body


def test_daily_digest_bundles_unmailed_notifications(ouder, medewerker, mailoutbox):
    ouder.notification_preference = "digest"
    ouder.save()
    for _ in range(3):
        notify([ouder], message, "/x/")
    send_daily_digests()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [ouder.email] and mailoutbox[0].body.count("/x/") == 3
    send_daily_digests()
    assert len(mailoutbox) == 1, "a second run sends nothing new"


def test_failing_mail_server_keeps_the_notification(ouder, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notify([ouder], message, "/x/")
    notification = Notification.objects.get(recipient=ouder)
    assert notification.emailed_at is None, "it will be retried"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


@pytest.mark.parametrize("count", [2, 30])
def test_list_paginates_with_constant_queries(client, ouder, count, django_assert_max_num_queries):
    for _ in range(count):
        notify([ouder], message, "/x/")
    client.force_login(ouder)
    client.get("/")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:notification_list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)


def test_bell_shows_unread_count_and_opening_marks_read(client, ouder):
    notify([ouder], message, reverse("home"))
    client.force_login(ouder)
    assert 'text-bg-warning">1<' in client.get("/").content.decode()
    notification = Notification.objects.get()
    response = client.post(reverse("notifications:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == reverse("home")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_cannot_open_someone_elses_notification(client, ouder, ouder_elders):
    notify([ouder], message, "/x/")
    client.force_login(ouder_elders)
    notification = Notification.objects.get()
    assert client.post(reverse("notifications:notification_open", args=[notification.pk])).status_code == 404


def test_open_never_redirects_off_site(client, ouder):
    notify([ouder], message, "https://evil.example/")
    client.force_login(ouder)
    response = client.post(reverse("notifications:notification_open", args=[Notification.objects.get().pk]))
    assert response.url == reverse("notifications:notification_list")


def test_mark_all_read(client, ouder):
    notify([ouder], message, "/x/")
    notify([ouder], message, "/y/")
    client.force_login(ouder)
    client.post(reverse("notifications:notification_mark_all_read"))
    assert not Notification.objects.unread().exists()


def test_unreachable_broker_does_not_fail_the_action(ouder, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(send_notification_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify([ouder], message, "/x/")
    assert Notification.objects.filter(recipient=ouder).exists()
