"""Closing a parent's account: the parent asks, a manager of the child's centre confirms, their words stay unnamed."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from children.models import AccountDeletionRequest, ConsentChange, Guardianship
from children.privacy.services import record_consent
from tests.factories import GuardianshipFactory, MembershipFactory
from tests.people import PEOPLE

PARENTS = {"ouder", "ouder_buur", "ouder_elders"}


def ask(client, user, reason="We verhuizen."):
    client.force_login(user)
    return client.post(reverse("children:deletion_request"), {"reason": reason, "understood": "on"})


@pytest.mark.parametrize("who", PEOPLE)
def test_parents_may_ask_to_close_their_account_others_not(client, everyone, who):
    response = ask(client, everyone[who])
    if who in PARENTS:
        assert response.status_code == 302
        assert AccountDeletionRequest.objects.pending().filter(user=everyone[who]).exists()
    else:
        assert response.status_code == 404
        assert not AccountDeletionRequest.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("children:deletion_request"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_asking_twice_makes_one_request_and_tells_the_managers(client, ouder, manager, manager_elders, centrum):
    ask(client, ouder)
    ask(client, ouder)
    deletion = AccountDeletionRequest.objects.get()
    assert list(deletion.centres.all()) == [centrum]
    assert deletion.reason == "We verhuizen."
    assert manager.notifications.count() == 1
    assert not manager_elders.notifications.exists()


def test_the_box_must_be_ticked(client, ouder):
    client.force_login(ouder)
    response = client.post(reverse("children:deletion_request"), {"reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors["understood"]
    assert response.context["form"]["reason"].value() == "x"
    assert not AccountDeletionRequest.objects.exists()


def test_a_parent_who_works_at_a_centre_cannot_close_the_account_this_way(client, ouder, centrum):
    MembershipFactory(user=ouder, centre=centrum, role="staff")
    response = ask(client, ouder)
    assert response.status_code == 200 and not response.context["allowed"]
    assert not AccountDeletionRequest.objects.exists()


def test_a_parent_withdraws_the_request(client, ouder):
    ask(client, ouder)
    response = client.post(reverse("children:deletion_cancel"))
    assert response.status_code == 302
    assert not AccountDeletionRequest.objects.pending().exists()
    ask(client, ouder, reason="toch wel")
    assert AccountDeletionRequest.objects.pending().get().reason == "toch wel"


@pytest.mark.parametrize("who", PEOPLE)
def test_only_a_manager_of_the_childs_centre_confirms(client, everyone, ouder, who):
    ask(client, ouder)
    deletion = AccountDeletionRequest.objects.get()
    client.force_login(everyone[who])
    response = client.post(reverse("children:deletion_confirm", args=[deletion.pk]))
    deletion.refresh_from_db()
    if who == "manager":
        assert response.status_code == 302
        assert deletion.confirmed_by == everyone["manager"]
    else:
        assert response.status_code == 404
        assert deletion.is_pending


def test_confirming_closes_the_account_and_keeps_the_childs_record_unnamed(
    client, ouder, kind, manager, medewerker, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.services import notify
    from partnership.models import Observation, ParentOffer, Reply

    observation = Observation.objects.create(child=kind, author=ouder, side="home", theme="sleeping", text="slaapt")
    reply = Reply.objects.create(observation=observation, author=medewerker, side="centre", text="fijn")
    record_consent(kind, ouder, {"photo_consent": True, "group_photo_consent": True})
    ParentOffer.objects.create(
        person=ouder, centre=kind.group.centre, kind=ParentOffer._meta.get_field("kind").choices[0][0]
    )
    notify([ouder], lambda: "iets nieuws", "/")
    old_email = ouder.email

    ask(client, ouder)
    deletion = AccountDeletionRequest.objects.get()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("children:deletion_confirm", args=[deletion.pk]))

    ouder.refresh_from_db()
    assert not ouder.is_active and not ouder.has_usable_password()
    assert ouder.email != old_email and "Anne" not in ouder.name
    assert not get_user_model().objects.filter(email=old_email).exists()
    assert not Guardianship.objects.filter(user=ouder).exists()
    # Their words stay with the child, signed by nobody recognisable; what was only theirs is gone.
    observation.refresh_from_db()
    assert observation.author == ouder and observation.text == "slaapt"
    assert Reply.objects.filter(pk=reply.pk).exists()
    assert ConsentChange.objects.filter(child=kind, changed_by=ouder).count() == 2
    assert not ParentOffer.objects.filter(person=ouder).exists()
    assert not ouder.notifications.exists()
    assert not ouder.emailaddress_set.exists()
    # One last email to the old address.
    assert [m.to for m in mailoutbox if "iets nieuws" not in m.body][-1] == [old_email]
    # The old session no longer works and the old address cannot log in.
    client.force_login(ouder)
    client.logout()
    response = client.post(reverse("account_login"), {"login": old_email, "password": "een-goed-wachtwoord-42"})
    assert not response.wsgi_request.user.is_authenticated


def test_confirming_twice_does_nothing_more(client, ouder, manager, mailoutbox, django_capture_on_commit_callbacks):
    old_email = ouder.email
    ask(client, ouder)
    deletion = AccountDeletionRequest.objects.get()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("children:deletion_confirm", args=[deletion.pk]))
        second = client.post(reverse("children:deletion_confirm", args=[deletion.pk]))
    assert second.status_code == 404
    assert len([m for m in mailoutbox if m.to == [old_email]]) == 1


def test_the_other_parent_keeps_everything(client, ouder, kind, manager):
    other = GuardianshipFactory(child=kind).user
    ask(client, ouder)
    client.force_login(manager)
    client.post(reverse("children:deletion_confirm", args=[AccountDeletionRequest.objects.get().pk]))
    other.refresh_from_db()
    assert other.is_active and Guardianship.objects.filter(user=other, child=kind).exists()


def test_the_manager_sees_the_requests_of_their_centre(client, ouder, ouder_elders, manager):
    ask(client, ouder)
    ask(client, ouder_elders)
    client.force_login(manager)
    response = client.get(reverse("children:centre_privacy", args=[ouder.guardianships.get().child.group.centre_id]))
    assert [d.user for d in response.context["requests"]] == [ouder]
