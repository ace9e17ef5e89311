"""The training offer: a visitor asks a question and a trainer answers it; a manager books a training, the
trainer confirms it with dates, a parent fills in learning wishes and the trainer reads them."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.trainings.factories import OfferingFactory
from trainings.models import Booking, IntakeRequest, Participant


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_from_question_to_learning_wishes(visitor, trainer, manager, ouder, centrum, mailoutbox):
    offering = OfferingFactory(title="Samen opvoeden", slug="samen-opvoeden")

    # A visitor reads the offer and asks about the training.
    bezoeker = visitor("visitor").goto(reverse("trainings:offer")).check("offer")
    bezoeker.follow(reverse("trainings:offering_detail", args=[offering.slug])).check("offering")
    bezoeker.follow(reverse("trainings:intake_create"), prefix=True).check("intake-form")
    bezoeker.fill(
        {
            "name": "Karin Mulder",
            "email": "karin@example.org",
            "organisation": "Kinderopvang Het Zonnetje",
            "role": "manager",
            "question": "Kunnen jullie bij ons een training geven voor ouders en pedagogisch medewerkers samen?",
            "contact_method": IntakeRequest.ContactMethod.values[0],
            "consent": True,
        }
    )
    bezoeker.page.wait_for_timeout(3200)  # people take a few seconds; the form refuses bots that do not
    bezoeker.submit()
    bezoeker.check("intake-sent")
    intake = IntakeRequest.objects.get(email="karin@example.org")

    # A trainer picks it up at the intake desk and answers by email.
    marieke = visitor("trainer").login(trainer.email).check("home")
    marieke.follow(reverse("trainings:intake_list")).check("intake-desk")
    marieke.follow(reverse("trainings:intake_detail", args=[intake.pk])).check("intake")
    marieke.submit(form=f"main form[action='{reverse('trainings:intake_assign_me', args=[intake.pk])}']")
    marieke.expect_message("success")
    answer_form = f"main form[action='{reverse('trainings:intake_answer', args=[intake.pk])}']"
    marieke.fill({"body": "Dank voor je vraag! Ik bel je dinsdag om de wensen door te nemen."}, form=answer_form)
    marieke.submit(form=answer_form)
    marieke.expect_message("success")
    marieke.check("intake-answered")
    assert any(m.to == ["karin@example.org"] and "dinsdag" in m.body for m in mailoutbox)

    # A manager books the training for the centre.
    joost = visitor("manager-training").login(manager.email)
    joost.follow(reverse("trainings:booking_list")).check("bookings")
    joost.follow(reverse("trainings:booking_create")).check("book")
    joost.fill(
        {
            "offering": str(offering.pk),
            "centre": str(centrum.pk),
            "date_1": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "expected_parents": "8",
            "expected_staff": "10",
            "location": "Appelstraat 12, Utrecht",
            "goals": "Betere gesprekken bij het brengen en halen.",
        }
    ).submit()
    joost.expect_message("success")
    joost.check("booked")
    booking = Booking.objects.get(offering=offering)

    # The trainer confirms it with a session.
    starts = (timezone.now() + timedelta(days=30)).replace(hour=18, minute=0, second=0, microsecond=0)
    marieke.follow(reverse("trainings:booking_list")).check("bookings")
    marieke.follow(booking.get_absolute_url()).check("booking")
    marieke.follow(reverse("trainings:booking_confirm", args=[booking.pk])).check("confirm")
    marieke.fill(
        {
            "sessions-0-starts_at": local(starts),
            "sessions-0-ends_at": local(starts + timedelta(hours=2, minutes=30)),
            "sessions-0-location": "De grote zaal",
        }
    ).submit()
    marieke.expect_message("success")
    marieke.check("confirmed")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    # The manager invites a parent, who fills in learning wishes from the email.
    joost.reload()
    joost.follow(reverse("trainings:booking_invite", args=[booking.pk])).check("invite")
    mailoutbox.clear()
    joost.fill({"parents": [str(ouder.pk)]}).submit()
    joost.expect_message("success")
    invitation = next(m for m in mailoutbox if m.to == [ouder.email])
    link = re.search(r"https?://\S+/trainings/wishes/\S+/", invitation.body).group(0)

    anne = visitor("parent-wishes").login(ouder.email)
    anne.goto(link).check("wishes")
    anne.fill(
        {
            "wants_to_learn": "Hoe ik een lastig gesprek bij het ophalen rustig houd.",
            "hard_situation": "Toen mijn zoon huilde bij het afscheid en ik te laat was voor mijn werk.",
        }
    ).submit()
    anne.expect_message("success")
    anne.check("wishes-sent")
    assert Participant.objects.get(booking=booking, user=ouder).answered_at is not None

    # The trainer reads them before the training.
    marieke.reload()
    marieke.follow(reverse("trainings:booking_wishes", args=[booking.pk])).check("wishes")
    assert "lastig gesprek" in marieke.text()
