"""The mentor, a round of talks and the handover to school, as the people themselves use them.

A manager chooses the mentor; the mentor opens a round of talks; a parent books for two children one after
another and prepares; the reminder arrives; the mentor writes the report with an agreement; the handover is
drafted, the parent adds a view and consents, and the school contact opens the link. In the second journey the
parent refuses, and no link ever exists.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from partnership.models import ChildAgreement, Handover, HandoverLink, TalkReminder, TalkRound
from partnership.tasks import dispatch_reminders
from tests.factories import ChildFactory, GuardianshipFactory

pytestmark = pytest.mark.parametrize("screen", ["desktop"])  # one Dutch browser is enough for this journey


@pytest.fixture
def siblings(kind, ouder, groep):
    """Jip and his sister Saar, both old enough for the handover to school."""
    four = timezone.localdate() - timedelta(days=4 * 365 + 30)
    kind.date_of_birth = four
    kind.save()
    saar = ChildFactory(group=groep, first_name="Saar", last_name=kind.last_name, date_of_birth=four)
    GuardianshipFactory(user=ouder, child=saar)
    return kind, saar


def test_mentor_talks_and_handover_with_consent(
    transactional_db, visitor, manager, medewerker, ouder, siblings, mailoutbox
):
    jip, saar = siblings
    day = timezone.localdate() + timedelta(days=10)

    # The manager chooses Fatima as the mentor of both children.
    joost = visitor("talks-manager").login(manager.email)
    for child in (jip, saar):
        joost.goto(child.get_absolute_url()).follow(reverse("partnership:mentor_assign", args=[child.pk]))
        joost.check(f"mentor-{child.first_name}")
        joost.fill({"mentor": str(medewerker.pk)}).submit()
        joost.expect_message("success")
    assert medewerker.name in joost.text("main")

    # Fatima opens a round for the children she mentors.
    fatima = visitor("talks-mentor").login(medewerker.email)
    fatima.goto(reverse("partnership:talk_round_list")).check("rounds")
    fatima.follow(reverse("partnership:talk_round_create")).check("new-round")
    fatima.fill(
        {
            "title": "Mentorgesprekken",
            "invite": "mentor",
            "date_1": day.isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "slot_minutes": "15",
            "place": "Kantoor",
            "booking_deadline": f"{(day - timedelta(days=3)).isoformat()}T17:00",
        }
    ).submit()
    fatima.expect_message("success")
    fatima.check("round-opened")
    talk_round = TalkRound.objects.get()
    assert set(talk_round.children.all()) == {jip, saar} and talk_round.slots.count() == 4

    # Anne books both children one after another, then prepares Jip's talk.
    anne = visitor("talks-parent").login(ouder.email)
    anne.goto(talk_round.get_absolute_url()).check("book")
    second = talk_round.slots.order_by("starts_at")[1]
    anne.fill({"together-start": str(second.pk)}, form='form:has([name="together-start"])')
    anne.submit('form:has([name="together-start"])')
    anne.expect_message("success")
    anne.check("booked")
    booked = list(talk_round.slots.filter(child__isnull=False).order_by("starts_at"))
    assert [s.child for s in booked] == [jip, saar]
    assert booked[1].starts_at == booked[0].ends_at
    jip_slot = booked[0]
    anne.follow(reverse("partnership:talk_detail", args=[jip_slot.pk]))
    anne.follow(reverse("partnership:talk_prepare", args=[jip_slot.pk])).check("prepare")
    anne.fill({"proud_of": "Jip fietst zonder zijwieltjes!", "questions": "Hoe gaat het met slapen?"}).submit()
    anne.expect_message("success")
    assert "zijwieltjes" in anne.text("main")

    # The day before, the reminder arrives for both sides.
    TalkReminder.objects.filter(slot=jip_slot).update(due_at=timezone.now())
    dispatch_reminders()
    assert Notification.objects.filter(recipient=ouder, url=talk_round.get_absolute_url()).exists()
    assert Notification.objects.filter(recipient=medewerker, url=talk_round.get_absolute_url()).exists()

    # After the talk Fatima writes the report with an agreement.
    fatima.goto(reverse("partnership:talk_detail", args=[jip_slot.pk])).check("talk-mentor")
    assert "zijwieltjes" in fatima.text("main")
    fatima.follow(reverse("partnership:talk_report", args=[jip_slot.pk])).check("report")
    fatima.fill(
        {
            "text": "Fijn gesprek. Jip is trots op het fietsen; slapen gaat beter met een vast ritueel.",
            "publish": True,
            "agreement_title": "Vast slaapritueel",
            "agreement_text": "Eerst een boekje, dan de knuffel, dan slapen.",
            "agreement_topic": "sleeping",
        }
    ).submit()
    fatima.expect_message("success")
    agreement = ChildAgreement.objects.get(title="Vast slaapritueel")
    assert agreement.child == jip and agreement.talk is not None

    anne.goto(reverse("partnership:talk_detail", args=[jip_slot.pk])).check("report-read")
    assert "Vast slaapritueel" in anne.text("main")

    # Fatima drafts Jip's handover and shows it to the parents.
    fatima.goto(reverse("partnership:handover_start", args=[jip.pk])).check("handover-start")
    fatima.submit()
    fatima.fill(
        {
            "theme_language": "Vertelt graag over wat hij thuis doet.",
            "wellbeing": "Voelt zich veilig op de groep.",
            "what_helps": "Vooraf vertellen wat er gaat gebeuren.",
        }
    ).submit()
    fatima.expect_message("success")
    fatima.submit('form[action$="/share/"]')
    fatima.expect_message("success")
    handover = Handover.objects.get(child=jip)

    # Anne reads it, adds her view and consents.
    anne.goto(handover.get_absolute_url()).check("handover-parent")
    anne.follow(reverse("partnership:handover_parent_view", args=[handover.pk]))
    anne.fill({"parent_view": "Thuis is Jip een echte verteller."}).submit()
    anne.expect_message("success")
    anne.fill({"answer": "yes"}, form='form[action$="/consent/"]').submit('form[action$="/consent/"]')
    anne.expect_message("success")

    # Fatima sends the link to the school; the school contact opens it once without an account.
    fatima.goto(handover.get_absolute_url())
    fatima.fill(
        {"school_name": "De Regenboog", "contact_name": "Juf Ans", "contact_email": "ans@regenboog.example.org"},
        form='form[action$="/send/"]',
    ).submit('form[action$="/send/"]')
    fatima.expect_message("success")
    fatima.check("handover-sent")
    (message,) = [m for m in mailoutbox if m.to == ["ans@regenboog.example.org"]]
    link = re.search(r"https?://\S+/school/handover/\S+/", message.body).group(0)
    school = visitor("talks-school")
    school.goto(link).check("school-opens")
    text = school.text("main")
    assert "Voelt zich veilig op de groep." in text and "Thuis is Jip een echte verteller." in text
    assert HandoverLink.objects.get().opened_count == 1

    anne.goto(reverse("children:child_access_log", args=[jip.pk])).check("access-log")
    assert "school" in anne.text("main")


def test_refused_handover_never_gets_a_link(transactional_db, visitor, medewerker, ouder, siblings, mailoutbox):
    jip, _saar = siblings
    jip.mentor = medewerker
    jip.save()
    fatima = visitor("handover-refused-mentor").login(medewerker.email)
    fatima.goto(reverse("partnership:handover_start", args=[jip.pk])).submit()
    fatima.fill({"wellbeing": "Voelt zich veilig op de groep."}).submit()
    fatima.submit('form[action$="/share/"]')
    handover = Handover.objects.get(child=jip)

    anne = visitor("handover-refused-parent").login(ouder.email)
    anne.goto(handover.get_absolute_url())
    anne.fill({"answer": "no"}, form='form[action$="/consent/"]').submit('form[action$="/consent/"]')
    anne.expect_message("success")
    anne.check("refused")

    fatima.goto(handover.get_absolute_url()).check("refused-mentor")
    assert not fatima.page.locator('form[action$="/send/"]').count()
    assert not HandoverLink.objects.exists()
    assert not [m for m in mailoutbox if "school" in " ".join(m.to)]
