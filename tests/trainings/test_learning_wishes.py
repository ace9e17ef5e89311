"""Learning wishes: the manager invites participants; each fills in a short form; only the trainer reads them."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.factories import GuardianshipFactory
from trainings.models import Booking, Participant

from .factories import ParticipantFactory, TrainingSessionFactory


@pytest.fixture
def session(confirmed_booking):
    return TrainingSessionFactory(booking=confirmed_booking)


@pytest.fixture
def deelname_ouder(confirmed_booking, ouder):
    return ParticipantFactory(
        booking=confirmed_booking, user=ouder, email=ouder.email, name=ouder.name, role=Participant.Role.PARENT
    )


@pytest.fixture
def deelname_gast(confirmed_booking):
    return ParticipantFactory(booking=confirmed_booking, email="gast@example.org", role=Participant.Role.PROFESSIONAL)


# --- Inviting --------------------------------------------------------------------------------------------


def test_manager_invites_staff_parents_and_others_by_email(
    client, manager, confirmed_booking, session, medewerker, ouder, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("trainings:booking_invite", args=[confirmed_booking.pk])
    form = client.get(url).context["form"]
    assert str(medewerker.pk) in dict(form.fields["professionals"].choices)
    assert str(ouder.pk) in dict(form.fields["parents"].choices)
    data = {
        "professionals": [medewerker.pk],
        "parents": [ouder.pk],
        "emails": "Gast@Example.org\nopa@example.org, gast@example.org",
        "email_role": Participant.Role.PARENT,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    participants = {p.email: p for p in confirmed_booking.participants.all()}
    assert set(participants) == {medewerker.email, ouder.email, "gast@example.org", "opa@example.org"}
    assert participants[medewerker.email].role == Participant.Role.PROFESSIONAL
    assert participants[ouder.email].role == Participant.Role.PARENT
    assert participants[ouder.email].user == ouder
    # People with an account are told in the portal; others get their personal link by email.
    assert Notification.objects.filter(recipient=ouder, url=participants[ouder.email].get_absolute_url()).exists()
    guest_mail = next(m for m in mailoutbox if m.to == ["gast@example.org"])
    assert participants["gast@example.org"].token in guest_mail.body
    assert participants["gast@example.org"].emailed_at is not None


def test_inviting_twice_keeps_one_participant(client, manager, confirmed_booking, ouder):
    client.force_login(manager)
    url = reverse("trainings:booking_invite", args=[confirmed_booking.pk])
    client.post(url, {"emails": ouder.email, "email_role": "parent"})
    client.post(url, {"emails": ouder.email, "email_role": "parent"})
    participant = confirmed_booking.participants.get()
    assert participant.user == ouder


def test_an_invitation_by_email_of_an_existing_account_links_the_account(client, manager, confirmed_booking, ouder):
    client.force_login(manager)
    client.post(
        reverse("trainings:booking_invite", args=[confirmed_booking.pk]),
        {"emails": "OUDER@example.org", "email_role": "parent"},
    )
    assert confirmed_booking.participants.get().user == ouder


def test_people_of_another_centre_cannot_be_chosen(client, manager, confirmed_booking, ouder_elders, medewerker_elders):
    client.force_login(manager)
    url = reverse("trainings:booking_invite", args=[confirmed_booking.pk])
    form = client.get(url).context["form"]
    assert str(ouder_elders.pk) not in dict(form.fields["parents"].choices)
    response = client.post(url, {"parents": [ouder_elders.pk], "professionals": [medewerker_elders.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Participant.objects.exists()


def test_the_invite_form_names_parents_not_children(client, manager, confirmed_booking, ouder, kind):
    client.force_login(manager)
    html = client.get(reverse("trainings:booking_invite", args=[confirmed_booking.pk])).content.decode()
    assert ouder.name in html


@pytest.mark.parametrize("emails", ["geen-adres", "a@b.nl\nnope", "x" * 6000])
def test_bad_email_addresses_get_a_message(client, manager, confirmed_booking, emails):
    client.force_login(manager)
    response = client.post(
        reverse("trainings:booking_invite", args=[confirmed_booking.pk]), {"emails": emails, "email_role": "parent"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["emails"]
    assert not Participant.objects.exists()


def test_inviting_nobody_gets_a_message(client, manager, confirmed_booking):
    client.force_login(manager)
    response = client.post(reverse("trainings:booking_invite", args=[confirmed_booking.pk]), {"email_role": "parent"})
    assert response.context["form"].non_field_errors()


def test_participants_are_invited_only_once_the_booking_is_confirmed(client, manager, booking):
    client.force_login(manager)
    url = reverse("trainings:booking_invite", args=[booking.pk])
    assert client.get(url).status_code == 302
    client.post(url, {"emails": "gast@example.org", "email_role": "parent"})
    assert not Participant.objects.exists()


@pytest.mark.parametrize("name", ["trainer", "manager_elders", "medewerker", "ouder"])
def test_only_the_organisations_managers_invite(client, request, name, confirmed_booking):
    client.force_login(request.getfixturevalue(name))
    url = reverse("trainings:booking_invite", args=[confirmed_booking.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"emails": "gast@example.org", "email_role": "parent"}).status_code == 404
    assert not Participant.objects.exists()


# --- Filling in ------------------------------------------------------------------------------------------

WISHES = {
    "wants_to_learn": "Hoe ik een lastig gesprek begin.",
    "hard_situation": "Bij het halen werd een vader boos.",
    "wants_to_practise": "Ik-boodschappen.",
}


def test_a_parent_fills_in_learning_wishes(client, ouder, deelname_ouder, session):
    client.force_login(ouder)
    assert list(client.get(reverse("trainings:wish_list")).context["participations"]) == [deelname_ouder]
    url = deelname_ouder.get_absolute_url()
    assert client.get(url).status_code == 200
    response = client.post(url, WISHES)
    assert response.status_code == 302
    deelname_ouder.refresh_from_db()
    assert deelname_ouder.answered_at is not None
    assert deelname_ouder.wants_to_practise == "Ik-boodschappen."


def test_an_empty_wish_form_gets_a_message(client, ouder, deelname_ouder):
    client.force_login(ouder)
    response = client.post(deelname_ouder.get_absolute_url(), {"wants_to_learn": "  "})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    deelname_ouder.refresh_from_db()
    assert deelname_ouder.answered_at is None


def test_overlong_wishes_are_refused(client, ouder, deelname_ouder):
    client.force_login(ouder)
    response = client.post(deelname_ouder.get_absolute_url(), {"wants_to_learn": "a" * 20_000})
    assert response.context["form"].errors["wants_to_learn"]


@pytest.mark.parametrize("name", ["ouder_buur", "medewerker", "manager", "manager_elders", "trainer", "ouder_elders"])
def test_nobody_else_opens_a_participants_form(client, request, name, deelname_ouder):
    client.force_login(request.getfixturevalue(name))
    assert client.get(deelname_ouder.get_absolute_url()).status_code == 404
    assert client.post(deelname_ouder.get_absolute_url(), WISHES).status_code == 404
    deelname_ouder.refresh_from_db()
    assert deelname_ouder.answered_at is None


def test_anonymous_is_sent_to_login_for_an_account_holders_form(client, deelname_ouder):
    response = client.get(deelname_ouder.get_absolute_url())
    assert response.status_code == 302 and reverse("account_login") in response.url
    # The personal link of someone with an account leads to the login too.
    token_url = reverse("trainings:wish_form_token", args=[deelname_ouder.token])
    assert client.get(token_url, follow=True).redirect_chain[-1][0].startswith(reverse("account_login"))


def test_a_guest_fills_in_through_the_personal_link(client, deelname_gast):
    url = deelname_gast.get_absolute_url()
    assert deelname_gast.token in url
    assert client.get(url).status_code == 200
    assert client.post(url, WISHES).status_code == 302
    deelname_gast.refresh_from_db()
    assert deelname_gast.answered_at is not None
    assert client.get(reverse("trainings:wish_form_token", args=["geraden-token"])).status_code == 404


def test_wishes_are_closed_once_the_training_is_over(client, ouder, deelname_ouder, confirmed_booking):
    confirmed_booking.status = Booking.Status.DELIVERED
    confirmed_booking.save()
    client.force_login(ouder)
    response = client.post(deelname_ouder.get_absolute_url(), WISHES)
    assert response.status_code == 302
    deelname_ouder.refresh_from_db()
    assert deelname_ouder.answered_at is None


def test_wish_list_for_someone_not_invited_is_empty(client, ouder_buur, deelname_ouder):
    client.force_login(ouder_buur)
    response = client.get(reverse("trainings:wish_list"))
    assert response.status_code == 200
    assert not response.context["participations"]


# --- What the trainer reads ------------------------------------------------------------------------------


def test_trainer_sees_each_answer_and_a_summary_split_by_role(client, trainer, confirmed_booking, deelname_ouder):
    for participant, text in [(deelname_ouder, "Ouder wil leren luisteren"), (None, "Medewerker wil feedback leren")]:
        participant = participant or ParticipantFactory(booking=confirmed_booking, role=Participant.Role.PROFESSIONAL)
        participant.wants_to_learn = text
        participant.answered_at = "2026-01-05T10:00:00Z"
        participant.save()
    ParticipantFactory(booking=confirmed_booking, role=Participant.Role.PARENT)  # not answered
    client.force_login(trainer)
    response = client.get(reverse("trainings:booking_wishes", args=[confirmed_booking.pk]))
    assert response.status_code == 200
    learn = response.context["questions"][0]
    assert [text for _p, text in learn["parents"]] == ["Ouder wil leren luisteren"]
    assert [text for _p, text in learn["professionals"]] == ["Medewerker wil feedback leren"]
    assert response.context["invited_count"] == 3
    assert len(response.context["answered"]) == 2


def test_wishes_with_html_are_shown_escaped(client, trainer, deelname_ouder, confirmed_booking):
    deelname_ouder.wants_to_learn = "<script>alert(1)</script>"
    deelname_ouder.answered_at = "2026-01-05T10:00:00Z"
    deelname_ouder.save()
    client.force_login(trainer)
    html = client.get(reverse("trainings:booking_wishes", args=[confirmed_booking.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_managers_see_who_answered_but_not_what(client, manager, deelname_ouder, confirmed_booking):
    deelname_ouder.wants_to_learn = "Iets persoonlijks"
    deelname_ouder.answered_at = "2026-01-05T10:00:00Z"
    deelname_ouder.save()
    client.force_login(manager)
    html = client.get(confirmed_booking.get_absolute_url()).content.decode()
    assert deelname_ouder.user.name in html
    assert "Iets persoonlijks" not in html
    assert client.get(reverse("trainings:booking_wishes", args=[confirmed_booking.pk])).status_code == 404


def test_a_staff_member_who_is_also_a_parent_is_offered_once(client, manager, confirmed_booking, medewerker, kind):
    GuardianshipFactory(user=medewerker, child=kind)
    client.force_login(manager)
    form = client.get(reverse("trainings:booking_invite", args=[confirmed_booking.pk])).context["form"]
    assert str(medewerker.pk) in dict(form.fields["professionals"].choices)
    assert str(medewerker.pk) not in dict(form.fields["parents"].choices)
