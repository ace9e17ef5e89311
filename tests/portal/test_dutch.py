"""Dutch that reads as Dutch: dates, relative times, plurals and the words parents use (with `nl` active)."""

import datetime
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from partnership.models import Side
from tests.partnership.factories import ObservationFactory
from tests.trainings.factories import BookingFactory, IntakeRequestFactory, ParticipantFactory, TrainingSessionFactory
from trainings.models import Booking, Participant


def render(source, lang="nl", **context):
    with translation.override(lang):
        return Template(source).render(Context(context))


def this_year(month, day, hour=0, minute=0):
    return timezone.make_aware(datetime.datetime(timezone.localdate().year, month, day, hour, minute))


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (this_year(11, 29).date(), "29 nov.", "29 Nov."),
        (this_year(5, 3).date(), "3 mei", "3 May"),
        (this_year(3, 9).date(), "9 mrt.", "9 March"),
        (datetime.date(2020, 12, 1), "1 dec. 2020", "1 Dec. 2020"),
    ],
)
def test_short_dates(value, nl, en):
    assert render("{{ d|short_date }}", d=value) == nl
    assert render("{{ d|short_date }}", "en", d=value) == en


def test_short_datetimes():
    assert render("{{ d|short_datetime }}", d=this_year(12, 22, 19, 30)) == "22 dec. 19:30"
    last_year = timezone.make_aware(datetime.datetime(timezone.localdate().year - 1, 12, 1, 20, 11))
    assert render("{{ d|short_datetime }}", d=last_year) == f"1 dec. {last_year.year} 20:11"


@pytest.mark.parametrize(
    ("ago", "nl"),
    [
        (timedelta(seconds=5), "zojuist"),
        (timedelta(seconds=59), "zojuist"),
        (timedelta(minutes=1, seconds=10), "1 minuut geleden"),
        (timedelta(minutes=2), "2 minuten geleden"),
        (timedelta(days=2), "2 dagen geleden"),
        (timedelta(seconds=-30), "zojuist"),
    ],
)
def test_relative_times(ago, nl):
    assert render("{{ t|ago }}", t=timezone.now() - ago) == nl


def test_yesterday_and_never_zero_minutes_or_two_units():
    yesterday_noon = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() - timedelta(days=1), datetime.time(12))
    )
    assert render("{{ t|ago }}", t=yesterday_noon) == "gisteren"
    waiting = render("{{ t|duration }}", t=timezone.now() - timedelta(days=1, hours=11))
    assert waiting == "1 dag"
    assert render("{{ t|duration }}", t=timezone.now()) == "minder dan een minuut"
    for seconds in (0, 30, 3600, 90000):
        text = render("{{ t|ago }} {{ t|duration }}", t=timezone.now() - timedelta(seconds=seconds))
        assert "0 minuten" not in text and "," not in text
    assert render("{{ t|ago }}", "en", t=timezone.now()) == "just now"


def test_trainer_pages_show_dutch_dates(client, trainer, centrum, manager):
    when = this_year(11, 29, 14, 5)
    IntakeRequestFactory(name="Karin Jansen")
    booking = BookingFactory(centre=centrum, requested_by=manager, status=Booking.Status.CONFIRMED, trainer=trainer)
    TrainingSessionFactory(booking=booking, starts_at=when, ends_at=when + timedelta(hours=2))
    client.force_login(trainer)
    for url in (reverse("trainings:intake_list"), reverse("trainings:booking_list")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        for english in (" Nov ", " Dec ", " Jan ", "Nov.", "Dec."):
            assert english not in page, url
    page = client.get(reverse("trainings:booking_list")).content.decode()
    assert "29 nov. 14:05" in page


def test_wishes_count_uses_plurals(client, trainer, centrum, manager):
    booking = BookingFactory(centre=centrum, requested_by=manager, status=Booking.Status.CONFIRMED, trainer=trainer)
    ParticipantFactory(booking=booking, role=Participant.Role.PROFESSIONAL, answered_at=timezone.now())
    ParticipantFactory(booking=booking, role=Participant.Role.PARENT)
    client.force_login(trainer)
    page = client.get(reverse("trainings:booking_wishes", args=[booking.pk])).content.decode()
    text = " ".join(page.split("answer-count")[1].split("</p>")[0].split())
    assert "1 van de 2 deelnemers heeft geantwoord: 0 ouders en 1 professional." in text


def test_parents_are_asked_in_their_own_words_and_staff_keep_observation(client, ouder, medewerker, kind):
    client.force_login(ouder)
    child_page = client.get(kind.get_absolute_url()).content.decode()
    assert "Vertel wat je zag" in child_page
    form = client.get(reverse("partnership:observation_create", args=[kind.pk])).content.decode()
    assert f"Wat zag je thuis bij {kind.first_name}?" in form and "Delen met de groep" in form
    client.force_login(medewerker)
    assert "Nieuwe observatie" in client.get(kind.get_absolute_url()).content.decode()
    form = client.get(reverse("partnership:observation_create", args=[kind.pk])).content.decode()
    assert "Observatie opslaan" in form


def test_parent_home_in_dutch(client, ouder, kind, medewerker):
    observation = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE)
    type(observation).objects.filter(pk=observation.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    client.force_login(ouder)
    page = client.get("/").content.decode()
    assert "Wat is er nieuw" in page and "2 minuten geleden" in page
    assert "van de groep schreef over slapen" in page
    assert "Vertel wat je zag" in page


def test_training_catalogue_says_je_and_incompanytraining(client, db):
    from trainings.demo import ACTIVITIES, TRAINING

    texts = " ".join(str(value) for item in [TRAINING, *ACTIVITIES] for value in item.values())
    assert " uw " not in f" {texts} " and "in-company" not in texts.lower()
