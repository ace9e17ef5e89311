"""A reply under a group moment is changed or deleted as a reply under an observation: by its author, within
24 hours for a change, softly, and refused when someone else saved first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import MomentReply, Side
from tests.factories import UserFactory
from tests.partnership.team_factories import FamilyMemberFactory, GroupMomentFactory, MomentReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moment(groep, kind, kind_buur, medewerker):
    return GroupMomentFactory(group=groep, author=medewerker, children=[kind, kind_buur])


@pytest.fixture
def parent_reply(moment, kind, ouder):
    return MomentReplyFactory(moment=moment, child=kind, author=ouder, side=Side.HOME, text="Thuis ook hutten.")


@pytest.fixture
def staff_reply(moment, kind, medewerker):
    return MomentReplyFactory(moment=moment, child=kind, author=medewerker, side=Side.CENTRE, text="Wat fijn!")


def edit_url(reply):
    return reverse("partnership:moment_reply_edit", args=[reply.pk])


def delete_url(reply):
    return reverse("partnership:moment_reply_delete", args=[reply.pk])


def test_the_parent_edits_and_deletes_their_reply(client, parent_reply, ouder, moment):
    client.force_login(ouder)
    page = client.get(moment.get_absolute_url()).content.decode()
    assert edit_url(parent_reply) in page and delete_url(parent_reply) in page
    form_page = client.get(edit_url(parent_reply))
    assert form_page.status_code == 200 and form_page.context["form"]["text"].value() == "Thuis ook hutten."
    response = client.post(
        edit_url(parent_reply), {"text": "Thuis bouwt hij ook hutten.", "version": parent_reply.version}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#moment-reply-{parent_reply.pk}")
    parent_reply.refresh_from_db()
    assert parent_reply.text == "Thuis bouwt hij ook hutten." and parent_reply.edited_at is not None

    assert client.get(delete_url(parent_reply)).status_code == 200
    response = client.post(delete_url(parent_reply))
    assert response.status_code == 302
    parent_reply.refresh_from_db()
    assert parent_reply.deleted_at is not None, "soft: the row stays"
    page = client.get(moment.get_absolute_url()).content.decode()
    assert "Thuis bouwt" not in page and edit_url(parent_reply) not in page
    # Deleted once: a second delete and an edit change nothing.
    assert client.post(delete_url(parent_reply)).status_code == 302
    client.post(edit_url(parent_reply), {"text": "Terug", "version": parent_reply.version})
    parent_reply.refresh_from_db()
    assert parent_reply.text == "Thuis bouwt hij ook hutten."


def test_staff_edit_their_reply_and_the_empty_text_is_refused(client, staff_reply, medewerker):
    client.force_login(medewerker)
    response = client.post(edit_url(staff_reply), {"text": "   ", "version": staff_reply.version})
    assert response.status_code == 200 and response.context["form"].errors["text"]
    response = client.post(edit_url(staff_reply), {"text": "Wat fijn om te horen!", "version": staff_reply.version})
    assert response.status_code == 302
    staff_reply.refresh_from_db()
    assert staff_reply.text == "Wat fijn om te horen!"


def test_the_edit_window_closes_after_24_hours_but_deleting_stays(client, parent_reply, ouder):
    MomentReply.objects.filter(pk=parent_reply.pk).update(created_at=timezone.now() - timedelta(hours=25))
    client.force_login(ouder)
    response = client.post(edit_url(parent_reply), {"text": "Te laat", "version": parent_reply.version})
    assert response.status_code == 302
    parent_reply.refresh_from_db()
    assert parent_reply.text == "Thuis ook hutten."
    client.post(delete_url(parent_reply))
    parent_reply.refresh_from_db()
    assert parent_reply.deleted_at is not None


def test_a_stale_edit_is_refused(client, parent_reply, ouder):
    client.force_login(ouder)
    stale = parent_reply.version
    client.post(edit_url(parent_reply), {"text": "Eerste versie", "version": stale})
    response = client.post(edit_url(parent_reply), {"text": "Tweede versie", "version": stale})
    assert response.status_code == 200 and response.context["form"].errors
    parent_reply.refresh_from_db()
    assert parent_reply.text == "Eerste versie"


def test_only_the_author_may_change_or_delete(client, parent_reply, staff_reply, everyone, kind, ouder):
    oma = UserFactory(email="oma@example.org")
    FamilyMemberFactory(child=kind, user=oma, invited_by=ouder)
    people = {**everyone, "oma": oma}
    for reply, author in ((parent_reply, "ouder"), (staff_reply, "medewerker")):
        for name, user in people.items():
            if name == author:
                continue
            client.force_login(user)
            assert client.get(edit_url(reply)).status_code == 404, name
            assert client.post(edit_url(reply), {"text": "ingebroken", "version": 0}).status_code == 404, name
            assert client.get(delete_url(reply)).status_code == 404, name
            assert client.post(delete_url(reply)).status_code == 404, name
    for reply in (parent_reply, staff_reply):
        reply.refresh_from_db()
        assert reply.deleted_at is None and reply.text != "ingebroken"


def test_the_author_who_lost_access_to_the_child_gets_404(client, kind, ouder, moment):
    oma = UserFactory(email="oma@example.org")
    member = FamilyMemberFactory(child=kind, user=oma, invited_by=ouder)
    reply = MomentReplyFactory(moment=moment, child=kind, author=oma, side=Side.HOME)
    client.force_login(oma)
    assert client.get(edit_url(reply)).status_code == 200, "the family edits their own reply"
    member.revoked_at = timezone.now()
    member.save()
    assert client.get(edit_url(reply)).status_code == 404
    assert client.post(delete_url(reply)).status_code == 404


def test_anonymous_goes_to_login(client, parent_reply):
    for url in (edit_url(parent_reply), delete_url(parent_reply)):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302 and "/login/" in response["Location"]
    parent_reply.refresh_from_db()
    assert parent_reply.deleted_at is None
