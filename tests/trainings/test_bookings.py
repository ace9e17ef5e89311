"""Bookings: managers book for their organisation, trainers plan; everyone else gets a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import CentreFactory, MembershipFactory
from trainings.models import Booking, BookingChange, TrainingReminder

from .factories import BookingFactory, ParticipantFactory, PreferredDateFactory, TrainingSessionFactory


def in_days(n):
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


# --- Who sees which booking ------------------------------------------------------------------------------


def test_visible_to_per_role(everyone, booking, booking_elders, trainer):
    assert set(Booking.objects.visible_to(trainer)) == {booking, booking_elders}
    assert set(Booking.objects.visible_to(everyone["manager"])) == {booking}
    assert set(Booking.objects.visible_to(everyone["manager_elders"])) == {booking_elders}
    for name in ["ouder", "ouder_buur", "medewerker", "ouder_elders", "medewerker_elders"]:
        assert not Booking.objects.visible_to(everyone[name]).exists(), name


def test_a_manager_sees_only_the_bookings_of_their_own_centre(manager, centrum, booking, training):
    sister_centre = CentreFactory(organisation=centrum.organisation)
    BookingFactory(centre=None, organisation=centrum.organisation, offering=training)
    BookingFactory(centre=sister_centre, offering=training)
    assert set(Booking.objects.visible_to(manager)) == {booking}


def test_an_organisation_wide_manager_sees_every_booking_of_the_organisation(manager, centrum, booking, training):
    manager.memberships.update(organisation_wide=True)
    sister_centre = CentreFactory(organisation=centrum.organisation)
    organisation_wide = BookingFactory(centre=None, organisation=centrum.organisation, offering=training)
    other_centre = BookingFactory(centre=sister_centre, offering=training)
    BookingFactory(offering=training)  # another organisation
    assert set(Booking.objects.visible_to(manager)) == {booking, organisation_wide, other_centre}


def test_anonymous_sees_no_booking(booking):
    from django.contrib.auth.models import AnonymousUser

    assert not Booking.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("name", ["ouder", "medewerker", "ouder_elders", "medewerker_elders", "manager_elders"])
def test_outsiders_get_404_on_every_booking_page(client, request, name, booking):
    client.force_login(request.getfixturevalue(name))
    pages = ["booking_detail", "booking_confirm", "booking_invite", "booking_wishes"]
    for page in pages:
        assert client.get(reverse(f"trainings:{page}", args=[booking.pk])).status_code == 404, page
    response = client.post(reverse("trainings:booking_status", args=[booking.pk]), {"status": "cancelled"})
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


@pytest.mark.parametrize("name", ["ouder", "medewerker", "ouder_elders", "medewerker_elders"])
def test_people_without_bookings_get_404_on_the_list_and_the_booking_form(client, request, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("trainings:booking_list")).status_code == 404
    assert client.get(reverse("trainings:booking_create")).status_code == 404


def test_anonymous_is_sent_to_login(client, booking):
    for url in [reverse("trainings:booking_list"), booking.get_absolute_url(), reverse("trainings:booking_create")]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response.url


def test_lists_per_role(client, booking, booking_elders, trainer, manager, manager_elders):
    client.force_login(trainer)
    assert set(client.get(reverse("trainings:booking_list")).context["page"]) == {booking, booking_elders}
    client.force_login(manager)
    assert list(client.get(reverse("trainings:booking_list")).context["page"]) == [booking]
    client.force_login(manager_elders)
    assert list(client.get(reverse("trainings:booking_list")).context["page"]) == [booking_elders]


def test_list_filters_by_status(client, trainer, booking, confirmed_booking, booking_elders):
    client.force_login(trainer)
    page = client.get(reverse("trainings:booking_list"), {"status": "confirmed"}).context["page"]
    assert list(page) == [confirmed_booking]


def test_detail_for_trainer_and_manager(client, booking, trainer, manager):
    for user in (trainer, manager):
        client.force_login(user)
        response = client.get(booking.get_absolute_url())
        assert response.status_code == 200
        assert booking.goals in response.content.decode()


@pytest.mark.parametrize("who", ["trainer", "manager"])
def test_booking_list_uses_a_constant_number_of_queries(
    client, request, who, centrum, training, trainer, django_assert_max_num_queries
):
    def add_bookings(n):
        for _ in range(n):
            booking = BookingFactory(
                centre=centrum, offering=training, status=Booking.Status.CONFIRMED, trainer=trainer
            )
            PreferredDateFactory.create_batch(2, booking=booking)
            TrainingSessionFactory.create_batch(2, booking=booking)
            ParticipantFactory.create_batch(2, booking=booking)

    client.force_login(request.getfixturevalue(who))
    url = reverse("trainings:booking_list")
    add_bookings(2)
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    add_bookings(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- Booking a training ----------------------------------------------------------------------------------


@pytest.fixture
def booking_data(training, centrum):
    return {
        "offering": training.pk,
        "centre": centrum.pk,
        "date_1": in_days(30),
        "date_2": in_days(37),
        "date_3": "",
        "preferred_time": "Dinsdagavond",
        "expected_parents": "8",
        "expected_staff": "10",
        "location": "Appelstraat 12, Utrecht",
        "goals": "Dat oudergesprekken meer een gesprek worden.",
        "token": "b0e4b0e4-0000-4000-8000-000000000001",
    }


def test_manager_books_a_training_and_trainers_are_told(client, manager, trainer, booking_data, centrum, training):
    client.force_login(manager)
    form = client.get(reverse("trainings:booking_create") + f"?offering={training.slug}").context["form"]
    assert form.initial["offering"] == training.pk
    response = client.post(reverse("trainings:booking_create"), booking_data)
    booking = Booking.objects.get()
    assert response.url == booking.get_absolute_url()
    assert booking.requested_by == manager
    assert booking.organisation == centrum.organisation
    assert booking.status == Booking.Status.REQUESTED
    assert [d.date.isoformat() for d in booking.preferred_dates.all()] == [in_days(30), in_days(37)]
    assert (booking.expected_parents, booking.expected_staff) == (8, 10)
    assert booking.changes.get().status == Booking.Status.REQUESTED
    assert Notification.objects.filter(recipient=trainer, url=booking.get_absolute_url()).exists()


def test_a_booking_posted_twice_is_kept_once(client, manager, booking_data):
    client.force_login(manager)
    client.post(reverse("trainings:booking_create"), booking_data)
    client.post(reverse("trainings:booking_create"), booking_data)
    assert Booking.objects.count() == 1
    assert BookingChange.objects.count() == 1


def test_only_an_organisation_wide_manager_books_for_the_whole_organisation(client, manager, booking_data, centrum):
    client.force_login(manager)
    booking_data["centre"] = ""
    response = client.post(reverse("trainings:booking_create"), booking_data)
    assert response.status_code == 200 and response.context["form"].errors["centre"]
    assert not Booking.objects.exists()

    manager.memberships.update(organisation_wide=True)
    booking_data["centre"] = ""
    client.post(reverse("trainings:booking_create"), booking_data)
    booking = Booking.objects.get()
    assert booking.centre is None and booking.organisation == centrum.organisation


@pytest.mark.parametrize(
    ("field", "value"),
    [("date_1", ""), ("date_1", "gisteren"), ("location", ""), ("goals", ""), ("expected_parents", "-1")],
)
def test_bad_booking_input_gets_a_message(client, manager, booking_data, field, value):
    client.force_login(manager)
    booking_data[field] = value
    response = client.post(reverse("trainings:booking_create"), booking_data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Booking.objects.exists()


def test_dates_in_the_past_and_nobody_expected_are_refused(client, manager, booking_data):
    client.force_login(manager)
    booking_data.update(date_2=in_days(-3), expected_parents="0", expected_staff="0")
    response = client.post(reverse("trainings:booking_create"), booking_data)
    errors = response.context["form"].errors
    assert "date_2" in errors and "expected_parents" in errors
    assert not Booking.objects.exists()


def test_a_manager_cannot_book_for_another_centre(client, manager, booking_data, centrum_elders):
    client.force_login(manager)
    booking_data["centre"] = centrum_elders.pk
    response = client.post(reverse("trainings:booking_create"), booking_data)
    assert response.context["form"].errors["centre"]
    assert not Booking.objects.exists()


def test_the_other_managers_of_the_centre_are_told_too(client, manager, booking_data, centrum):
    colleague = MembershipFactory(centre=centrum, role="manager").user
    client.force_login(manager)
    client.post(reverse("trainings:booking_create"), booking_data)
    assert Notification.objects.filter(recipient=colleague).exists()
    assert not Notification.objects.filter(recipient=manager).exists()


# --- Status flow -----------------------------------------------------------------------------------------


def test_trainer_marks_a_booking_as_being_planned_and_the_manager_is_told(client, trainer, manager, booking):
    client.force_login(trainer)
    client.post(reverse("trainings:booking_status", args=[booking.pk]), {"status": "planning"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PLANNING
    assert booking.changes.get().by == trainer
    assert Notification.objects.filter(recipient=manager, url=booking.get_absolute_url()).exists()


def test_manager_may_cancel_but_not_deliver(client, manager, trainer, booking):
    client.force_login(manager)
    client.post(reverse("trainings:booking_status", args=[booking.pk]), {"status": "delivered"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    client.post(reverse("trainings:booking_status", args=[booking.pk]), {"status": "cancelled", "note": "Geen budget"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.changes.get().note == "Geen budget"
    assert Notification.objects.filter(recipient=trainer).exists()


def test_a_cancelled_booking_cannot_come_back(client, trainer, booking):
    booking.status = Booking.Status.CANCELLED
    booking.save()
    client.force_login(trainer)
    client.post(reverse("trainings:booking_status", args=[booking.pk]), {"status": "planning"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    response = client.get(reverse("trainings:booking_confirm", args=[booking.pk]))
    assert response.status_code == 302


def test_a_bogus_status_is_refused(client, trainer, booking):
    client.force_login(trainer)
    response = client.post(reverse("trainings:booking_status", args=[booking.pk]), {"status": "paid"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_status_page_is_a_post_only_action(client, trainer, booking):
    client.force_login(trainer)
    assert client.get(reverse("trainings:booking_status", args=[booking.pk])).status_code == 405


# --- Confirming with dates and a trainer -----------------------------------------------------------------


def sessions_data(rows, initial=0):
    data = {
        "sessions-TOTAL_FORMS": str(len(rows)),
        "sessions-INITIAL_FORMS": str(initial),
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"sessions-{n}-{k}": v for k, v in row.items()})
    return data


def test_trainer_confirms_with_dates_and_the_manager_is_told(client, trainer, manager, booking, mailoutbox):
    client.force_login(trainer)
    url = reverse("trainings:booking_confirm", args=[booking.pk])
    assert client.get(url).status_code == 200
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=20)
    data = {
        "trainer": trainer.pk,
        **sessions_data(
            [
                {"starts_at": local(start), "ends_at": local(start + timedelta(hours=2)), "location": ""},
                {"starts_at": local(start + timedelta(days=14)), "ends_at": local(start + timedelta(days=14, hours=2))},
            ]
        ),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["sessions"].errors
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.trainer == trainer
    assert [s.starts_at for s in booking.sessions.all()] == [start, start + timedelta(days=14)]
    assert Notification.objects.filter(recipient=manager, url=booking.get_absolute_url()).exists()
    html = client.get(booking.get_absolute_url()).content.decode()
    assert "Confirmed" in html or "Bevestigd" in html


def test_confirming_needs_a_session_and_a_sane_time(client, trainer, booking):
    client.force_login(trainer)
    url = reverse("trainings:booking_confirm", args=[booking.pk])
    start = timezone.now() + timedelta(days=5)
    response = client.post(url, {"trainer": trainer.pk, **sessions_data([])})
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "trainer": trainer.pk,
            **sessions_data([{"starts_at": local(start), "ends_at": local(start - timedelta(hours=1))}]),
        },
    )
    assert response.status_code == 200
    assert response.context["sessions"].errors[0]["ends_at"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert not booking.sessions.exists()


def test_only_a_trainer_can_be_chosen(client, trainer, manager, booking):
    client.force_login(trainer)
    start = timezone.now() + timedelta(days=5)
    response = client.post(
        reverse("trainings:booking_confirm", args=[booking.pk]),
        {
            "trainer": manager.pk,
            **sessions_data([{"starts_at": local(start), "ends_at": local(start + timedelta(hours=2))}]),
        },
    )
    assert response.context["form"].errors["trainer"]


def test_manager_cannot_confirm(client, manager, booking):
    client.force_login(manager)
    assert client.get(reverse("trainings:booking_confirm", args=[booking.pk])).status_code == 404


def test_rescheduling_moves_the_reminders_and_tells_participants(
    client, trainer, confirmed_booking, ouder, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=20)
    session = TrainingSessionFactory(booking=confirmed_booking, starts_at=start, ends_at=start + timedelta(hours=2))
    ParticipantFactory(booking=confirmed_booking, user=ouder, email=ouder.email)
    by_mail = ParticipantFactory(booking=confirmed_booking, email="gast@example.org")
    from trainings.services import schedule_reminders

    schedule_reminders(confirmed_booking)
    assert TrainingReminder.objects.count() == 4
    later = start + timedelta(days=7)
    client.force_login(trainer)
    data = {
        "trainer": trainer.pk,
        **sessions_data(
            [{"id": session.pk, "starts_at": local(later), "ends_at": local(later + timedelta(hours=2))}], 1
        ),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("trainings:booking_confirm", args=[confirmed_booking.pk]), data).status_code == 302
    due = sorted(TrainingReminder.objects.values_list("due_at", flat=True))
    assert due == sorted([later - timedelta(days=7)] * 2 + [later - timedelta(days=1)] * 2)
    assert Notification.objects.filter(recipient=ouder).exists()
    assert any(m.to == [by_mail.email] for m in mailoutbox)


def test_trainer_marks_a_confirmed_booking_delivered(client, trainer, confirmed_booking):
    client.force_login(trainer)
    client.post(reverse("trainings:booking_status", args=[confirmed_booking.pk]), {"status": "delivered"})
    confirmed_booking.refresh_from_db()
    assert confirmed_booking.status == Booking.Status.DELIVERED
