"""Plain-text mail shows names as they are written: an apostrophe and an ampersand, not `&#x27;` or `&amp;`."""

import pytest

from accounts.tasks import send_invitation_email
from notifications.models import Notification
from notifications.tasks import send_notification_email
from tests.factories import CentreFactory, ChildFactory, GroupFactory, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db

CENTRE = "Kinderopvang 't Hummeltje & Co"
NAME = "Anne O'Brien & Jan"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_invitation_subject_and_body_keep_apostrophe_and_ampersand(mailoutbox, language):
    child = ChildFactory(group=GroupFactory(centre=CentreFactory(name=CENTRE)), first_name="D'Angelo")
    invitation = InvitationFactory(child=child, name=NAME, email="anne@example.org")
    send_invitation_email(invitation.pk, language)
    (mail,) = mailoutbox
    assert CENTRE in mail.subject
    assert CENTRE in mail.body and NAME in mail.body and "D'Angelo" in mail.body
    for escaped in ("&#x27;", "&#39;", "&amp;", "&quot;"):
        assert escaped not in mail.subject + mail.body


def test_notification_subject_and_body_keep_apostrophe_and_ampersand(mailoutbox):
    person = UserFactory(name=NAME, email="anne@example.org")
    notification = Notification.objects.create(
        recipient=person, message=f'Nieuw van {CENTRE}: "Eten & drinken" voor D\'Angelo', url="/"
    )
    send_notification_email(notification.pk)
    (mail,) = mailoutbox
    assert CENTRE in mail.subject and "D'Angelo" in mail.subject
    assert '"Eten & drinken"' in mail.body and "Anne" in mail.body
    for escaped in ("&#x27;", "&#39;", "&amp;", "&quot;"):
        assert escaped not in mail.subject + mail.body
