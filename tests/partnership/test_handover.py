"""The handover to school: drafted by the mentor, read and consented by the parents, opened by the school."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from children.models import AccessLog
from notifications.models import Notification
from partnership.models import Handover, HandoverLink

from .talk_factories import HandoverFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kleuter(kind, medewerker):
    """Jip is four, and Fatima is the mentor."""
    kind.date_of_birth = timezone.localdate() - timedelta(days=4 * 365 + 10)
    kind.mentor = medewerker
    kind.save()
    return kind


def url(name, handover):
    return reverse(f"partnership:{name}", args=[handover.pk])


DRAFT = {
    "theme_language": "Vertelt lange verhalen",
    "theme_playing": "Bouwt torens",
    "wellbeing": "Voelt zich veilig",
    "what_helps": "Vaste volgorde",
    "agreements_that_work": "Knuffel bij het slapen",
}


def draft(client, medewerker, child):
    client.force_login(medewerker)
    client.post(reverse("partnership:handover_start", args=[child.pk]))
    handover = Handover.objects.get(child=child)
    client.post(url("handover_edit", handover), DRAFT)
    return handover


def test_the_whole_way_with_consent(client, kleuter, medewerker, ouder):
    handover = draft(client, medewerker, kleuter)
    client.force_login(ouder)
    assert client.get(url("handover_detail", handover)).status_code == 404  # still a draft
    client.force_login(medewerker)
    form = client.get(url("handover_edit", handover)).context["form"]
    assert (
        form.initial["wellbeing"] == "Voelt zich veilig" and form["theme_language"].value() == "Vertelt lange verhalen"
    )
    client.post(url("handover_share", handover))
    assert Notification.objects.filter(recipient=ouder, url=handover.get_absolute_url()).exists()

    client.force_login(ouder)
    page = client.get(url("handover_detail", handover)).content.decode()
    assert "Vertelt lange verhalen" in page and "Bouwt torens" in page
    client.post(url("handover_parent_view", handover), {"parent_view": "Thuis is ze juist stil.", "wellbeing": "X"})
    client.post(url("handover_consent", handover), {"answer": "yes"})
    handover.refresh_from_db()
    assert handover.parent_view == "Thuis is ze juist stil." and handover.wellbeing == "Voelt zich veilig"
    assert handover.status == Handover.Status.CONSENTED and handover.consent_by == ouder

    client.force_login(medewerker)
    data = {"school_name": "De Regenboog", "contact_name": "Juf Ans", "contact_email": "ans@regenboog.example.org"}
    client.post(url("handover_send", handover), data)
    handover.refresh_from_db()
    assert handover.status == Handover.Status.SENT
    link = HandoverLink.objects.get()
    (message,) = mail.outbox
    assert message.to == ["ans@regenboog.example.org"]
    school_url = re.search(r"https?://\S+/school/handover/\S+/", message.body).group(0)
    token = school_url.rstrip("/").rsplit("/", 1)[1]
    assert token not in link.token_hash and len(link.token_hash) == 64

    client.logout()
    path = "/" + school_url.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vertelt lange verhalen" in text and "Thuis is ze juist stil." in text
    assert AccessLog.objects.filter(child=kleuter, what="handover_school").count() == 1
    link.refresh_from_db()
    assert link.opened_count == 1

    client.force_login(ouder)
    log = client.get(reverse("children:child_access_log", args=[kleuter.pk])).content.decode()
    assert "school" in log
    assert client.post(url("handover_consent", handover), {"answer": "no"}).status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.SENT  # too late to withdraw once sent

    client.post(reverse("partnership:handover_link_revoke", args=[link.pk]))
    client.logout()
    assert client.get(path).status_code == 404


def test_refusal_means_no_link_exists(client, kleuter, medewerker, ouder):
    handover = draft(client, medewerker, kleuter)
    client.post(url("handover_share", handover))
    client.force_login(ouder)
    client.post(url("handover_consent", handover), {"answer": "no"})
    client.force_login(medewerker)
    data = {"school_name": "De Regenboog", "contact_name": "Juf Ans", "contact_email": "ans@regenboog.example.org"}
    response = client.post(url("handover_send", handover), data, follow=True)
    assert not HandoverLink.objects.exists() and mail.outbox == []
    assert any("consent" in str(m) or "toestemming" in str(m) for m in response.context["messages"])


def test_consent_can_be_withdrawn_until_sent(client, kleuter, medewerker, ouder):
    handover = draft(client, medewerker, kleuter)
    client.post(url("handover_share", handover))
    client.force_login(ouder)
    client.post(url("handover_consent", handover), {"answer": "yes"})
    client.post(url("handover_consent", handover), {"answer": "no"})
    handover.refresh_from_db()
    assert handover.status == Handover.Status.REFUSED


def test_a_change_of_text_after_consent_asks_again(client, kleuter, medewerker, ouder):
    handover = draft(client, medewerker, kleuter)
    client.post(url("handover_share", handover))
    client.force_login(ouder)
    client.post(url("handover_consent", handover), {"answer": "yes"})
    client.force_login(medewerker)
    client.post(url("handover_edit", handover), {**DRAFT, "wellbeing": "Anders"})
    handover.refresh_from_db()
    assert handover.status == Handover.Status.AWAITING and handover.consent_by is None


def test_too_young_for_a_handover(client, kind, medewerker):
    kind.mentor = medewerker
    kind.date_of_birth = timezone.localdate() - timedelta(days=2 * 365)
    kind.save()
    client.force_login(medewerker)
    client.post(reverse("partnership:handover_start", args=[kind.pk]))
    assert not Handover.objects.exists()


def test_the_centre_sets_the_age(client, manager, kind, centrum):
    client.force_login(manager)
    page = client.get(reverse("partnership:centre_handovers", args=[centrum.pk]))
    assert page.status_code == 200 and page.context["form"].initial["handover_from_months"] == 45
    client.post(reverse("partnership:centre_handovers", args=[centrum.pk]), {"handover_from_months": "30"})
    centrum.refresh_from_db()
    assert centrum.handover_from_months == 30
    response = client.post(reverse("partnership:centre_handovers", args=[centrum.pk]), {"handover_from_months": "9999"})
    assert response.context["form"].errors


def test_parents_download_a_pdf_and_it_is_logged(client, kleuter, ouder):
    handover = HandoverFactory(child=kleuter, mentor=kleuter.mentor)
    client.force_login(ouder)
    response = client.get(url("handover_pdf", handover))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(child=kleuter, what="handover_pdf", user=ouder).count() == 1


def test_an_expired_or_foreign_token_opens_nothing(client, kleuter):
    from partnership.models.handover import hash_token

    handover = HandoverFactory(child=kleuter, status=Handover.Status.SENT)
    HandoverLink.objects.create(
        handover=handover,
        token_hash=hash_token("verlopen"),
        contact_name="Juf",
        contact_email="juf@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    assert client.get(reverse("partnership:handover_for_school", args=["verlopen"])).status_code == 404
    assert client.get(reverse("partnership:handover_for_school", args=["iets-anders"])).status_code == 404
    assert not AccessLog.objects.filter(what="handover_school").exists()


@pytest.mark.parametrize("name", ["ouder_buur", "ouder_elders", "medewerker_elders", "manager_elders", "trainer"])
def test_outsiders_get_404(client, request, name, kleuter):
    handover = HandoverFactory(child=kleuter, mentor=kleuter.mentor)
    client.force_login(request.getfixturevalue(name))
    for view in ("handover_detail", "handover_edit", "handover_parent_view", "handover_pdf"):
        assert client.get(url(view, handover)).status_code == 404
    for view in ("handover_share", "handover_consent", "handover_send"):
        assert client.post(url(view, handover), {"answer": "yes"}).status_code == 404
    assert client.get(reverse("partnership:handover_start", args=[kleuter.pk])).status_code == 404
    handover.refresh_from_db()
    assert handover.status == Handover.Status.AWAITING


def test_other_staff_reads_but_does_not_draft(client, kleuter, manager, andere_groep):
    from children.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    collega = UserFactory()
    MembershipFactory(user=collega, centre=kleuter.group.centre, role=Membership.Role.STAFF, groups=[kleuter.group])
    handover = HandoverFactory(child=kleuter, mentor=kleuter.mentor)
    client.force_login(collega)
    assert client.get(url("handover_detail", handover)).status_code == 200
    assert client.get(url("handover_edit", handover)).status_code == 404
    assert AccessLog.objects.filter(child=kleuter, what="handover", user=collega).exists()


def test_retention_deletes_the_handover_with_the_child(kleuter):
    from children.privacy.services import delete_child_data

    handover = HandoverFactory(child=kleuter)
    HandoverLink.objects.create(
        handover=handover,
        token_hash="a" * 64,
        contact_name="J",
        contact_email="j@example.org",
        expires_at=timezone.now() + timedelta(days=1),
    )
    delete_child_data(kleuter)
    assert not Handover.objects.exists() and not HandoverLink.objects.exists()
    assert not Handover.history.filter(child_id=kleuter.pk).exists()


def test_months_old():
    from partnership.models.handover import born_on_or_before

    assert born_on_or_before(date(2026, 12, 1), 45) == date(2023, 3, 1)
    assert born_on_or_before(date(2026, 5, 31), 3) == date(2026, 2, 28)


def test_centre_list_of_handovers_in_few_queries(client, manager, centrum, groep, django_assert_max_num_queries):
    from tests.factories import ChildFactory

    old = timezone.localdate() - timedelta(days=5 * 365)
    for n in range(6):
        child = ChildFactory(group=groep, date_of_birth=old)
        if n % 2:
            HandoverFactory(child=child)
    ChildFactory(group=groep, date_of_birth=timezone.localdate() - timedelta(days=365))  # too young
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("partnership:centre_handovers", args=[centrum.pk]))
    assert len(page.context["page"].object_list) == 6
    assert page.content.decode().count(str(Handover.Status.AWAITING.label)) == 3


def test_an_overflowing_age_is_refused_with_a_message(client, manager, centrum):
    client.force_login(manager)
    url_ = reverse("partnership:centre_handovers", args=[centrum.pk])
    response = client.post(url_, {"handover_from_months": "99999999999999999999999"})
    assert response.status_code == 200 and response.context["form"].errors["handover_from_months"]
    centrum.refresh_from_db()
    assert centrum.handover_from_months == 45


def test_a_mail_server_that_is_down_shares_nothing(client, kleuter, medewerker, settings):

    settings.EMAIL_BACKEND = "tests.partnership.test_handover.FailingBackend"
    handover = HandoverFactory(child=kleuter, mentor=medewerker, status=Handover.Status.CONSENTED)
    client.force_login(medewerker)
    data = {"school_name": "De Regenboog", "contact_name": "Juf Ans", "contact_email": "ans@regenboog.example.org"}
    response = client.post(url("handover_send", handover), data, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    handover.refresh_from_db()
    assert handover.status == Handover.Status.CONSENTED and not HandoverLink.objects.exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
