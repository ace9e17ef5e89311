"""Invitation flow end to end: invite, accept, set password, land on the right page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from children.models import Child, Guardianship, Membership
from tests.factories import InvitationFactory


def invite_parent(client, inviter, child, email="nieuwe.ouder@example.org", capture=None):
    client.force_login(inviter)
    with capture(execute=True):
        response = client.post(
            reverse("accounts:invite_parent", args=[child.pk]), {"name": "Nieuwe Ouder", "email": email}
        )
    client.logout()
    return response


def sign_up(client, invitation, email=None, password="Zonnebloem-2026!"):
    client.get(invitation.get_absolute_url())
    return client.post(
        reverse("account_signup"),
        {"name": "Nieuwe Ouder", "email": email or invitation.email, "password1": password, "password2": password},
    )


def test_staff_invites_parent_who_signs_up_and_lands_home(
    client, medewerker, kind, mailoutbox, django_capture_on_commit_callbacks
):
    response = invite_parent(client, medewerker, kind, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuwe.ouder@example.org")
    assert invitation.child == kind and invitation.centre == kind.group.centre
    assert len(mailoutbox) == 1
    assert invitation.get_absolute_url() in mailoutbox[0].body

    response = sign_up(client, invitation)
    assert response.status_code == 302
    # A new parent first answers the photo questions for their child, then goes home.
    assert response.url == reverse("children:consent_edit", args=[kind.pk]) + "?welcome=1"
    user = User.objects.get(email="nieuwe.ouder@example.org")
    assert user.name == "Nieuwe Ouder"
    assert Guardianship.objects.filter(user=user, child=kind).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user

    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert kind.first_name in home.content.decode()


def test_manager_invites_staff_on_a_group(client, manager, groep, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invite_staff", args=[groep.centre.pk]),
            {"name": "Collega", "email": "collega@example.org", "role": "staff", "groups": [groep.pk]},
        )
    client.logout()
    invitation = Invitation.objects.get(email="collega@example.org")
    sign_up(client, invitation)
    membership = Membership.objects.get(user__email="collega@example.org")
    assert membership.role == "staff" and list(membership.groups.all()) == [groep]


def test_signup_without_invitation_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert b"signup" in response.content.lower() or b"aanmelden" in response.content.lower()
    response = client.post(
        reverse("account_signup"),
        {"name": "X", "email": "x@example.org", "password1": "Zonnebloem-2026!", "password2": "Zonnebloem-2026!"},
    )
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"expires_at": timezone.now() - timedelta(days=1)}, "verlopen"),
        ({"revoked_at": timezone.now()}, "ingetrokken"),
    ],
)
def test_expired_or_revoked_invitation_gets_clear_message(client, kind, change, message):
    invitation = InvitationFactory(child=kind, **change)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert message in response.content.decode()
    assert not client.session.get("invitation_token")


def test_reused_invitation_gets_clear_message(client, kind):
    invitation = InvitationFactory(child=kind)
    sign_up(client, invitation)
    client.logout()
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()


def test_unknown_token_gets_clear_message(client, db):
    response = client.get(reverse("accounts:accept_invitation", args=["nope"]))
    assert response.status_code == 410


def test_invitation_cannot_be_used_for_another_email(client, kind):
    invitation = InvitationFactory(child=kind, email="juist@example.org")
    response = sign_up(client, invitation, email="anders@example.org")
    assert response.status_code == 200
    assert "juist@example.org" in response.content.decode()
    assert not User.objects.filter(email="anders@example.org").exists()


def test_invitation_cannot_be_used_to_join_another_centre(client, kind, kind_elders, groep_elders):
    """Whatever is posted, accepting gives exactly the child and centre the invitation names."""
    invitation = InvitationFactory(child=kind)
    client.get(invitation.get_absolute_url())
    client.post(
        reverse("account_signup"),
        {
            "name": "Slim",
            "email": invitation.email,
            "password1": "Zonnebloem-2026!",
            "password2": "Zonnebloem-2026!",
            "child": kind_elders.pk,
            "centre": groep_elders.centre.pk,
        },
    )
    user = User.objects.get(email=invitation.email)
    assert set(Child.objects.visible_to(user)) == {kind}


def test_staff_cannot_invite_for_a_child_of_another_centre(client, medewerker, kind_elders):
    client.force_login(medewerker)
    response = client.post(
        reverse("accounts:invite_parent", args=[kind_elders.pk]), {"name": "X", "email": "x@example.org"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_parent_cannot_invite(client, ouder, kind):
    client.force_login(ouder)
    assert client.get(reverse("accounts:invite_parent", args=[kind.pk])).status_code == 404


def test_existing_user_accepts_after_login(client, medewerker, kind_elders):
    """A staff member who is also a parent elsewhere adds the parent role to their account."""
    invitation = InvitationFactory(child=kind_elders, email=medewerker.email)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(medewerker)
    assert client.get(invitation.get_absolute_url()).status_code == 200
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert kind_elders in Child.objects.visible_to(medewerker)


def test_logged_in_as_someone_else_cannot_accept(client, ouder_buur, kind):
    invitation = InvitationFactory(child=kind, email="iemand@example.org")
    client.force_login(ouder_buur)
    assert client.post(invitation.get_absolute_url()).status_code == 403
    assert kind not in Child.objects.visible_to(ouder_buur)


def test_manager_revokes_invitation(client, manager, kind):
    invitation = InvitationFactory(child=kind)
    client.force_login(manager)
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_manager_of_other_centre_cannot_revoke(client, manager_elders, kind):
    invitation = InvitationFactory(child=kind)
    client.force_login(manager_elders)
    assert client.post(reverse("accounts:invitation_revoke", args=[invitation.pk])).status_code == 404
