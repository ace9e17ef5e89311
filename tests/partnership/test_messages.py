"""Messages to the team: one conversation per child, read and answered by the whole team of the group."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import AccessLog, Membership
from notifications.models import Notification
from partnership.models import MessageNotice, Side, TeamMessage, TeamSettings
from partnership.services.messages import dispatch_message_notices, team_of
from tests.factories import ChildFactory, MembershipFactory, UserFactory

from .factories import messages_of
from .team_factories import TeamMessageFactory, always_answering, not_answering_today

pytestmark = pytest.mark.django_db


def url(child):
    return reverse("partnership:child_messages", args=[child.pk])


@pytest.fixture
def collega(groep):
    user = UserFactory(email="collega@example.org", name="Karin Mulder")
    MembershipFactory(user=user, centre=groep.centre, role=Membership.Role.STAFF, groups=[groep])
    return user


# Opening hours ------------------------------------------------------------------------------------------------


def test_next_answer_time_is_the_next_opening_hour(centrum):
    zone = timezone.get_current_timezone()
    team = TeamSettings(centre=centrum)  # Monday to Friday, 08:00 to 17:00
    friday_evening = timezone.make_aware(datetime.datetime(2026, 3, 6, 22, 0), zone)
    monday_morning = timezone.make_aware(datetime.datetime(2026, 3, 9, 8, 0), zone)
    tuesday_noon = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0), zone)
    tuesday_early = timezone.make_aware(datetime.datetime(2026, 3, 10, 6, 30), zone)
    assert team.next_answer_time(friday_evening) == monday_morning
    assert team.is_answering(tuesday_noon) and team.next_answer_time(tuesday_noon) == tuesday_noon
    assert team.next_answer_time(tuesday_early).hour == 8
    assert TeamSettings(centre=centrum, answer_days="").next_answer_time(friday_evening) is None


def test_team_settings_refuse_an_end_before_the_start(client, manager, centrum):
    client.force_login(manager)
    response = client.post(
        reverse("partnership:team_settings", args=[centrum.pk]),
        {"absence_cutoff": "09:00", "days": ["1"], "answer_from": "17:00", "answer_until": "08:00"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    saved = TeamSettings.objects.get(centre=centrum)  # the defaults, unchanged
    assert (saved.answer_from, saved.answer_until) == (TeamSettings().answer_from, TeamSettings().answer_until)


# A parent writes ----------------------------------------------------------------------------------------------


def test_during_hours_every_staff_member_of_the_group_is_told_at_once(client, ouder, kind, medewerker, collega):
    always_answering(kind.group.centre)
    client.force_login(ouder)
    response = client.post(url(kind), {"text": "Jip heeft slecht geslapen, wil hij vandaag wat eerder slapen?"})
    message = TeamMessage.objects.get()
    assert response.status_code == 302
    assert (message.child, message.side, message.author) == (kind, Side.HOME, ouder)
    assert not MessageNotice.objects.exists()
    for person in (medewerker, collega):
        notification = Notification.objects.get(recipient=person)
        assert kind.first_name in notification.message and "geslapen" not in notification.message


def test_outside_hours_the_parent_hears_when_to_expect_an_answer_and_the_team_hears_later(
    client, ouder, kind, medewerker
):
    not_answering_today(kind.group.centre)
    client.force_login(ouder)
    page = client.get(url(kind))
    assert page.context["next_answer"] and not page.context["answering_now"]
    response = client.post(url(kind), {"text": "Vraagje over morgen"})
    notice = MessageNotice.objects.get()
    assert timezone.localtime(notice.due_at).time() == datetime.time(8, 0)
    assert timezone.localtime(notice.due_at).date() > timezone.localdate()
    assert any("08:00" in m for m in messages_of(response))
    assert not Notification.objects.filter(recipient=medewerker).exists(), "nobody is woken at night"

    assert dispatch_message_notices(now=notice.due_at - datetime.timedelta(minutes=1)).sent == 0
    assert dispatch_message_notices(now=notice.due_at + datetime.timedelta(seconds=30)).sent == 1
    assert Notification.objects.filter(recipient=medewerker).count() == 1
    assert dispatch_message_notices(now=notice.due_at + datetime.timedelta(minutes=2)).sent == 0, "sent once"


def test_a_message_read_before_the_opening_hour_is_not_notified_again(client, ouder, kind, medewerker):
    not_answering_today(kind.group.centre)
    client.force_login(ouder)
    client.post(url(kind), {"text": "Vraagje"})
    client.force_login(medewerker)
    client.get(url(kind))
    notice = MessageNotice.objects.get()
    result = dispatch_message_notices(now=notice.due_at + datetime.timedelta(seconds=1))
    assert (result.sent, result.skipped) == (0, 1)
    assert not Notification.objects.filter(recipient=medewerker).exists()


def test_the_reminder_dispatcher_sends_due_notices(ouder, kind, medewerker):
    from partnership.tasks import dispatch_reminders

    message = TeamMessageFactory(child=kind, author=ouder)
    MessageNotice.objects.create(message=message, due_at=timezone.now() - datetime.timedelta(minutes=1))
    dispatch_reminders()
    assert MessageNotice.objects.get().sent_at is not None
    assert Notification.objects.filter(recipient=medewerker).exists()


# The team reads and answers -----------------------------------------------------------------------------------


def test_the_parent_sees_when_the_team_read_the_message(client, ouder, kind, medewerker):
    always_answering(kind.group.centre)
    client.force_login(ouder)
    client.post(url(kind), {"text": "Hoe ging het vandaag?"})
    page = client.get(url(kind)).content.decode()
    assert TeamMessage.objects.get().read_at is None
    client.force_login(medewerker)
    client.get(url(kind))
    message = TeamMessage.objects.get()
    assert (message.read_by, message.read_at is not None) == (medewerker, True)
    client.force_login(ouder)
    page = client.get(url(kind)).content.decode()
    assert f"gelezen door het team, {timezone.localtime(message.read_at):%H:%M}" in page


def test_a_parent_opening_the_conversation_does_not_mark_it_read(client, ouder, kind):
    TeamMessageFactory(child=kind, author=ouder)
    client.force_login(ouder)
    client.get(url(kind))
    assert TeamMessage.objects.get().read_at is None


def test_any_staff_member_answers_and_the_parents_are_told(client, ouder, kind, medewerker, collega):
    TeamMessageFactory(child=kind, author=ouder)
    client.force_login(collega)
    client.post(url(kind), {"text": "Hij sliep goed, anderhalf uur."})
    answer = TeamMessage.objects.get(side=Side.CENTRE)
    assert answer.author == collega
    assert TeamMessage.objects.get(side=Side.HOME).read_by == collega, "answering counts as reading"
    notification = Notification.objects.get(recipient=ouder)
    assert "anderhalf" not in notification.message
    client.force_login(medewerker)
    assert "anderhalf uur" in client.get(url(kind)).content.decode()


def test_the_mentor_is_shown_first(kind, medewerker, collega):
    kind.mentor = collega
    kind.save()
    assert team_of(kind)[0] == collega
    assert set(team_of(kind)) == {medewerker, collega}


def test_double_submit_sends_once_and_empty_text_is_refused(client, ouder, kind):
    client.force_login(ouder)
    token = client.get(url(kind)).context["form"].initial["token"]
    client.post(url(kind), {"text": "Eén keer", "token": token})
    client.post(url(kind), {"text": "Eén keer", "token": token})
    assert TeamMessage.objects.count() == 1
    for text in ("", "   ", "x" * 5001):
        response = client.post(url(kind), {"text": text})
        assert response.status_code == 200 and response.context["form"].errors
    assert TeamMessage.objects.count() == 1


def test_reading_by_staff_is_in_the_access_log(client, ouder, medewerker, kind):
    client.force_login(ouder)
    client.get(url(kind))
    assert not AccessLog.objects.exists()
    client.force_login(medewerker)
    client.get(url(kind))
    assert AccessLog.objects.get().what == "messages"


# Who sees what ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["ouder_buur", "ouder_elders", "medewerker_elders", "manager_elders", "trainer"])
def test_outside_the_childs_circle_everything_is_404(client, request, kind, ouder, person):
    TeamMessageFactory(child=kind, author=ouder, text="geheim")
    client.force_login(request.getfixturevalue(person))
    assert client.get(url(kind)).status_code == 404
    assert client.post(url(kind), {"text": "ingebroken"}).status_code == 404
    assert TeamMessage.objects.count() == 1 and TeamMessage.objects.get().read_at is None


@pytest.mark.parametrize("person", ["ouder", "medewerker", "manager"])
def test_the_childs_circle_reads_the_conversation(client, request, kind, ouder, person):
    TeamMessageFactory(child=kind, author=ouder, text="Onze vraag")
    client.force_login(request.getfixturevalue(person))
    assert "Onze vraag" in client.get(url(kind)).content.decode()


def test_visible_to_per_role(kind, kind_elders, ouder, medewerker, manager, ouder_elders, medewerker_elders, trainer):
    own = TeamMessageFactory(child=kind)
    TeamMessageFactory(child=kind_elders)
    for person in (ouder, medewerker, manager):
        assert list(TeamMessage.objects.visible_to(person)) == [own]
    for person in (ouder_elders, medewerker_elders):
        assert own not in TeamMessage.objects.visible_to(person)
    assert not TeamMessage.objects.visible_to(trainer).exists()


def test_anonymous_visitors_go_to_the_login(client, kind):
    for target in (url(kind), reverse("partnership:message_inbox")):
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_inbox_lists_own_conversations_unread_first(client, medewerker, ouder, kind, kind_buur, kind_elders):
    TeamMessageFactory(child=kind_buur, side=Side.CENTRE, author=medewerker)
    TeamMessageFactory(child=kind, author=ouder)
    TeamMessageFactory(child=kind_elders)
    client.force_login(medewerker)
    page = client.get(reverse("partnership:message_inbox")).context["page"]
    assert list(page) == [kind, kind_buur]
    assert page[0].unread_count == 1
    client.force_login(ouder)
    response = client.get(reverse("partnership:message_inbox"))
    assert list(response.context["page"]) == [kind]
    assert response.context["own_children"] == [kind]


def test_trainers_have_no_inbox(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("partnership:message_inbox")).status_code == 404


@pytest.mark.parametrize("size", [2, 15])
def test_conversation_and_inbox_queries_do_not_grow(
    client, medewerker, ouder, kind, groep, size, django_assert_max_num_queries
):
    for child in ChildFactory.create_batch(size, group=groep):
        TeamMessageFactory.create_batch(2, child=child)
    TeamMessageFactory.create_batch(size, child=kind, author=ouder)
    client.force_login(medewerker)
    client.get(url(kind))
    with django_assert_max_num_queries(14):
        assert client.get(url(kind)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("partnership:message_inbox")).status_code == 200


# The family download and retention -------------------------------------------------------------------------------


def test_messages_are_in_the_family_download_and_go_with_the_child(ouder, kind, kind_buur, medewerker):
    from children.privacy.export import FamilyExport
    from children.privacy.services import delete_child_data

    own = TeamMessageFactory(child=kind, author=ouder, text="over Jip")
    TeamMessageFactory(child=kind_buur, text="over Mila")
    answer = TeamMessageFactory(child=kind, author=medewerker, side=Side.CENTRE)
    MessageNotice.objects.create(message=own, due_at=timezone.now())
    export = FamilyExport(ouder, kind)
    assert {m.pk for m in export.objects[TeamMessage]} == {own.pk, answer.pk}
    assert MessageNotice in export.objects
    delete_child_data(kind)
    assert list(TeamMessage.objects.values_list("text", flat=True)) == ["over Mila"]
    assert not MessageNotice.objects.exists()


def test_demo_data_has_a_conversation_read_by_the_team():
    from django.core.management import call_command

    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    sam = TeamMessage.objects.filter(child__first_name="Sam")
    assert sam.count() == 2 and sam.filter(side=Side.HOME, read_at__isnull=False).exists()
    assert TeamMessage.objects.filter(child__first_name="Finn", read_at__isnull=True).exists()


def test_the_email_about_a_message_carries_no_text_of_it(
    client, ouder, kind, medewerker, mailoutbox, django_capture_on_commit_callbacks
):
    always_answering(kind.group.centre)
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(kind), {"text": "Een heel persoonlijke vraag over de nacht"})
        client.post(
            reverse("partnership:child_absences", args=[kind.pk]),
            {"reason": "ill", "first_day": timezone.localdate().isoformat(), "note": "Koorts en hoesten"},
        )
    to_staff = [m for m in mailoutbox if m.to == [medewerker.email]]
    assert len(to_staff) == 2
    for mail in to_staff:
        assert "persoonlijke vraag" not in mail.body and "Koorts" not in mail.body
        assert kind.first_name in mail.body or kind.first_name in mail.subject
