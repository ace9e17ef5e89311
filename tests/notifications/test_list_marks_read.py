"""Opening the notifications page marks what it shows as read, and only that."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify


def message():
    from django.utils.translation import gettext

    return gettext("Next")


def test_opening_the_list_marks_the_shown_page_read(client, ouder, ouder_elders):
    for _ in range(30):
        notify([ouder], message, "/x/")
    notify([ouder_elders], message, "/y/")
    client.force_login(ouder)
    response = client.get(reverse("notifications:notification_list"))
    page = response.content.decode()
    # What was unread is still highlighted this time, so the person sees what is new.
    assert page.count("align-items-center gap-2 fw-semibold") == 25
    assert Notification.objects.for_user(ouder).unread().count() == 5  # the second page is not shown yet
    assert Notification.objects.for_user(ouder_elders).unread().count() == 1  # someone else's stay unread
    client.get(reverse("notifications:notification_list"), {"page": 2})
    assert not Notification.objects.for_user(ouder).unread().exists()
    assert "gap-2 fw-semibold" not in client.get(reverse("notifications:notification_list")).content.decode()


def test_bell_count_drops_after_opening_the_list(client, ouder):
    notify([ouder], message, "/x/")
    client.force_login(ouder)
    assert 'text-bg-warning">1<' in client.get("/").content.decode()
    client.get(reverse("notifications:notification_list"))
    assert 'text-bg-warning">1<' not in client.get("/").content.decode()


def test_a_notification_under_a_minute_old_says_just_now(client, ouder, settings):
    settings.LANGUAGE_CODE = "nl"
    notify([ouder], message, "/x/")
    Notification.objects.update(created_at=timezone.now() - timedelta(seconds=20))
    client.force_login(ouder)
    page = client.get(reverse("notifications:notification_list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "0 minuten" not in page


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("notifications:notification_list"))
    assert response.status_code == 302 and reverse("account_login") in response.url
