"""Rounds of talks: staff open a round, parents book one time per child, reminders go out once."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Membership
from notifications.models import Notification
from partnership.models import TalkReminder, TalkRound, TalkSlot
from partnership.models.talks import plan_slots
from partnership.talks_services import dispatch_talk_reminders
from tests.factories import ChildFactory, GuardianshipFactory, MembershipFactory, UserFactory

from .talk_factories import TalkRoundFactory, TalkSlotFactory

pytestmark = pytest.mark.django_db


def ahead(days):
    return timezone.localdate() + timedelta(days=days)


def round_data(group, **changes):
    data = {
        "title": "Mentorgesprekken",
        "invite": str(group.pk),
        "date_1": ahead(10).isoformat(),
        "start_time": "13:00",
        "end_time": "15:00",
        "slot_minutes": "20",
        "break_start": "14:00",
        "break_end": "14:20",
        "place": "Lokaal 2",
        "booking_deadline": f"{ahead(5).isoformat()}T17:00",
    }
    data.update(changes)
    return data


@pytest.fixture
def sibling(groep, ouder):
    child = ChildFactory(group=groep, first_name="Saar")
    GuardianshipFactory(user=ouder, child=child)
    return child


@pytest.fixture
def talk_round(groep, medewerker, kind, kind_buur):
    round_ = TalkRoundFactory(group=groep, created_by=medewerker)
    for minutes in (0, 15, 30):
        TalkSlotFactory(
            round=round_, starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(days=7, minutes=minutes)
        )
    return round_


def test_plan_slots_leaves_out_the_break():
    slots = plan_slots([date(2030, 1, 7)], time(13, 0), time(15, 0), 20, time(14, 0), time(14, 20))
    starts = [timezone.localtime(s).strftime("%H:%M") for s, _ in slots]
    assert starts == ["13:00", "13:20", "13:40", "14:20", "14:40"]


def test_staff_opens_a_round_for_the_group(client, medewerker, groep, kind, kind_buur, ouder, ouder_buur):
    client.force_login(medewerker)
    assert client.get(reverse("partnership:talk_round_create")).status_code == 200
    response = client.post(reverse("partnership:talk_round_create"), round_data(groep), follow=True)
    talk_round = TalkRound.objects.get()
    assert response.redirect_chain[-1][0] == talk_round.get_absolute_url()
    assert talk_round.slots.count() == 5
    assert set(talk_round.children.all()) == {kind, kind_buur}
    nudges = TalkReminder.objects.filter(round=talk_round, kind=TalkReminder.Kind.NUDGE)
    assert set(nudges.values_list("person", flat=True)) == {ouder.pk, ouder_buur.pk}
    invited = Notification.objects.filter(url=talk_round.get_absolute_url())
    assert set(invited.values_list("recipient", flat=True)) == {ouder.pk, ouder_buur.pk}


def test_a_mentor_opens_a_round_for_own_mentor_children(client, medewerker, kind, kind_buur):
    kind.mentor = medewerker
    kind.save()
    client.force_login(medewerker)
    client.post(reverse("partnership:talk_round_create"), round_data(kind.group, invite="mentor"))
    assert list(TalkRound.objects.get().children.all()) == [kind]


@pytest.mark.parametrize(
    "changes",
    [
        {"end_time": "12:00"},
        {"date_1": "2001-01-01"},
        {"booking_deadline": f"{ahead(20).isoformat()}T17:00"},
        {"slot_minutes": "0"},
        {"place": "", "video_url": ""},
        {"break_end": ""},
        {"invite": "999999"},
        {"date_1": "'; drop table"},
    ],
)
def test_odd_rounds_are_refused_with_a_message(client, medewerker, groep, changes):
    client.force_login(medewerker)
    response = client.post(reverse("partnership:talk_round_create"), round_data(groep, **changes))
    assert response.status_code == 200 and response.context["form"].errors
    assert not TalkRound.objects.exists()


def test_double_submit_opens_one_round(client, medewerker, groep, kind):
    client.force_login(medewerker)
    client.post(reverse("partnership:talk_round_create"), round_data(groep))
    client.post(reverse("partnership:talk_round_create"), round_data(groep))
    assert TalkRound.objects.count() == 1
    assert TalkSlot.objects.count() == 5


@pytest.mark.parametrize("name", ["ouder", "trainer", "ouder_elders"])
def test_parents_and_trainers_cannot_open_a_round(client, request, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("partnership:talk_round_create")).status_code == 404


def book_url(talk_round):
    return reverse("partnership:talk_round_book", args=[talk_round.pk])


def test_parent_books_one_time_and_both_sides_get_a_reminder(client, ouder, medewerker, kind, talk_round):
    slot = talk_round.slots.first()
    client.force_login(ouder)
    page = client.get(talk_round.get_absolute_url())
    assert page.status_code == 200
    assert len(page.context["booking_form"].fields[f"child_{kind.pk}"].queryset) == 3
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": slot.pk})
    slot.refresh_from_db()
    assert slot.child == kind and slot.booked_by == ouder
    people = set(TalkReminder.objects.filter(slot=slot, kind="before").values_list("person", flat=True))
    assert people == {ouder.pk, medewerker.pk}


def test_parents_see_free_times_only(client, ouder, ouder_buur, kind, kind_buur, talk_round):
    taken = talk_round.slots.first()
    client.force_login(ouder_buur)
    client.post(book_url(talk_round), {f"each-child_{kind_buur.pk}": taken.pk})
    client.force_login(ouder)
    page = client.get(talk_round.get_absolute_url())
    choices = page.context["booking_form"].fields[f"child_{kind.pk}"].queryset
    assert taken not in choices and choices.count() == 2
    assert kind_buur.first_name not in page.content.decode()
    response = client.post(book_url(talk_round), {f"each-child_{kind.pk}": taken.pk})
    assert response.status_code == 400
    taken.refresh_from_db()
    assert taken.child == kind_buur


def test_siblings_one_after_another_in_one_step(client, ouder, kind, sibling, talk_round):
    talk_round.children.add(sibling)
    first, second, third = talk_round.slots.all()
    client.force_login(ouder)
    page = client.get(talk_round.get_absolute_url())
    assert page.context["siblings_form"] is not None
    client.post(book_url(talk_round), {"together-start": second.pk})
    booked = dict(talk_round.slots.filter(child__isnull=False).values_list("child", "pk"))
    assert booked == {sibling.pk: second.pk, kind.pk: third.pk} or booked == {kind.pk: second.pk, sibling.pk: third.pk}


def test_change_and_cancel_until_the_deadline(client, ouder, kind, talk_round):
    first, second, _third = talk_round.slots.all()
    client.force_login(ouder)
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": first.pk})
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": second.pk})
    assert list(talk_round.slots.filter(child=kind)) == [second]
    assert not TalkReminder.objects.filter(slot=first).exists()
    client.post(reverse("partnership:talk_slot_cancel", args=[second.pk]))
    assert not talk_round.slots.filter(child=kind).exists()
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": first.pk})
    TalkRound.objects.filter(pk=talk_round.pk).update(booking_deadline=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("partnership:talk_slot_cancel", args=[first.pk]), follow=True)
    assert any("closed" in str(m) or "gesloten" in str(m) for m in response.context["messages"])
    assert talk_round.slots.get(pk=first.pk).child == kind
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": second.pk})
    assert talk_round.slots.get(pk=first.pk).child == kind


def test_a_parent_cannot_book_for_someone_elses_child(client, ouder, kind_buur, talk_round):
    client.force_login(ouder)
    client.post(book_url(talk_round), {f"each-child_{kind_buur.pk}": talk_round.slots.first().pk})
    assert not talk_round.slots.filter(child__isnull=False).exists()


@pytest.mark.parametrize("name", ["ouder_elders", "medewerker_elders", "manager_elders", "trainer"])
def test_other_centres_and_trainers_get_404(client, request, name, ouder, kind, talk_round):
    slot = talk_round.slots.first()
    client.force_login(ouder)
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": slot.pk})
    client.force_login(request.getfixturevalue(name))
    assert client.get(talk_round.get_absolute_url()).status_code == 404
    assert client.post(book_url(talk_round), {f"each-child_{kind.pk}": slot.pk}).status_code == 404
    assert client.post(reverse("partnership:talk_slot_cancel", args=[slot.pk])).status_code == 404
    assert client.get(reverse("partnership:talk_slot_ics", args=[slot.pk])).status_code == 404
    assert talk_round not in client.get(reverse("partnership:talk_round_list")).context["page"]
    slot.refresh_from_db()
    assert slot.child == kind


def test_anonymous_goes_to_login(client, talk_round):
    for url in (
        reverse("partnership:talk_round_list"),
        reverse("partnership:talk_round_create"),
        talk_round.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_staff_schedule_shows_bookings_and_who_has_not_booked(
    client, medewerker, manager, ouder, kind, kind_buur, talk_round, django_assert_max_num_queries
):
    slot = talk_round.slots.first()
    client.force_login(ouder)
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": slot.pk})
    for person in (medewerker, manager):
        client.force_login(person)
        with django_assert_max_num_queries(20):
            page = client.get(talk_round.get_absolute_url())
        assert page.status_code == 200
        assert list(page.context["not_booked"]) == [kind_buur]
        assert ouder.name in page.content.decode()
        assert "talks.css" in page.content.decode()


def test_staff_of_another_group_does_not_run_the_round(client, andere_groep, talk_round):
    other = UserFactory()
    MembershipFactory(user=other, centre=andere_groep.centre, role=Membership.Role.STAFF, groups=[andere_groep])
    client.force_login(other)
    assert client.get(talk_round.get_absolute_url()).status_code == 404


def test_round_list_for_parent_and_staff(client, ouder, medewerker, talk_round, django_assert_max_num_queries):
    for person in (ouder, medewerker):
        client.force_login(person)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("partnership:talk_round_list"))
        assert talk_round in page.context["page"]


def test_ics_for_the_booked_time_and_the_calendar_feed(client, ouder, kind, talk_round):
    from partnership.models import CalendarFeed

    slot = talk_round.slots.first()
    client.force_login(ouder)
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": slot.pk})
    ics = client.get(reverse("partnership:talk_slot_ics", args=[slot.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"talk-{slot.pk}-{kind.pk}@".encode() in ics.content
    feed = CalendarFeed.for_person(ouder)
    client.logout()
    body = client.get(feed.get_absolute_url()).content
    assert f"talk-{slot.pk}-{kind.pk}@".encode() in body


def test_reminders_are_sent_once(ouder, medewerker, kind, talk_round, client):
    slot = talk_round.slots.first()
    client.force_login(ouder)
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": slot.pk})
    later = slot.starts_at - timedelta(hours=2)
    first = dispatch_talk_reminders(later)
    second = dispatch_talk_reminders(later)
    assert first.sent == 2 and second.sent == 0
    assert Notification.objects.filter(recipient=ouder, url=talk_round.get_absolute_url()).count() == 1
    assert Notification.objects.filter(recipient=medewerker, url=talk_round.get_absolute_url()).count() == 1


def test_nudge_only_for_parents_who_have_not_booked(ouder, ouder_buur, kind, kind_buur, talk_round, client):
    for parent in (ouder, ouder_buur):
        TalkReminder.objects.create(round=talk_round, person=parent, kind="nudge", due_at=timezone.now())
    client.force_login(ouder)
    client.post(book_url(talk_round), {f"each-child_{kind.pk}": talk_round.slots.first().pk})
    result = dispatch_talk_reminders()
    assert result.sent == 1 and result.skipped == 1
    assert Notification.objects.filter(recipient=ouder_buur).count() == 1
    assert not Notification.objects.filter(recipient=ouder).exists()


def test_day_schedule_per_room(
    client, medewerker, ouder, ouder_buur, kind, kind_buur, groep, django_assert_max_num_queries
):
    starts = (timezone.now() + timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    upstairs = TalkRoundFactory(group=groep, created_by=medewerker, place="Boven")
    downstairs = TalkRoundFactory(group=groep, created_by=medewerker, place="Beneden")
    TalkSlotFactory(round=upstairs, starts_at=starts, child=kind, booked_by=ouder)
    TalkSlotFactory(round=downstairs, starts_at=starts + timedelta(minutes=15), child=kind_buur, booked_by=ouder_buur)
    TalkSlotFactory(round=downstairs, starts_at=starts + timedelta(minutes=30))  # free: not on the sheet
    client.force_login(medewerker)
    url = reverse("partnership:talk_day_schedule")
    with django_assert_max_num_queries(15):
        page = client.get(url, {"day": timezone.localtime(starts).date().isoformat()})
    rooms = {room: [s.child for s in slots] for room, slots in page.context["rooms"]}
    assert rooms == {"Beneden": [kind_buur], "Boven": [kind]}
    assert client.get(url).context["day"] == timezone.localtime(starts).date()  # the next day with talks
    assert client.get(url, {"day": "'; drop"}).status_code == 200


@pytest.mark.parametrize("name", ["ouder", "trainer"])
def test_day_schedule_is_for_staff(client, request, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("partnership:talk_day_schedule")).status_code == 404


def test_day_schedule_of_another_centre_is_empty(client, medewerker_elders, ouder, kind, talk_round):
    slot = talk_round.slots.first()
    TalkSlot.objects.filter(pk=slot.pk).update(child=kind, booked_by=ouder)
    client.force_login(medewerker_elders)
    page = client.get(reverse("partnership:talk_day_schedule"), {"day": timezone.localtime(slot.starts_at).date()})
    assert page.context["rooms"] == [] and kind.first_name not in page.content.decode()
