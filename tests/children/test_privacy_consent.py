"""Photo consent: asked when a parent joins, changeable any time, every change kept."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Invitation
from children.models import Child, ConsentChange
from children.privacy.services import awaiting_consent, pending_consent_url, record_consent
from tests.factories import ChildFactory, GuardianshipFactory, InvitationFactory
from tests.people import PEOPLE

BOTH_YES = {"photo_consent": "yes", "group_photo_consent": "yes"}


def consent_url(child, welcome=False):
    return reverse("children:consent_edit", args=[child.pk]) + ("?welcome=1" if welcome else "")


def test_a_parent_answers_and_every_change_is_kept(client, ouder, kind):
    client.force_login(ouder)
    response = client.post(consent_url(kind), {"photo_consent": "yes", "group_photo_consent": "no"})
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.allows_timeline_photos and not kind.allows_group_photos
    first = ConsentChange.objects.filter(child=kind)
    assert {(c.kind, c.old_value, c.new_value, c.changed_by) for c in first} == {
        ("photo_consent", None, True, ouder),
        ("group_photo_consent", None, False, ouder),
    }

    client.post(consent_url(kind), {"photo_consent": "no", "group_photo_consent": "no"})
    kind.refresh_from_db()
    assert not kind.allows_timeline_photos
    latest = ConsentChange.objects.filter(child=kind).first()
    assert (latest.kind, latest.old_value, latest.new_value) == ("photo_consent", True, False)
    assert ConsentChange.objects.filter(child=kind).count() == 3
    # The child's own history records who changed it, too.
    assert kind.history.first().history_user == ouder


def test_submitting_the_same_answers_twice_adds_nothing(client, ouder, kind):
    client.force_login(ouder)
    client.post(consent_url(kind), BOTH_YES)
    client.post(consent_url(kind), BOTH_YES)
    assert ConsentChange.objects.filter(child=kind).count() == 2


def test_nothing_is_preselected_before_the_first_answer_and_a_missing_answer_is_refused(client, ouder, kind):
    client.force_login(ouder)
    page = client.get(consent_url(kind)).content.decode()
    assert "checked" not in page
    response = client.post(consent_url(kind), {"photo_consent": "yes"})
    assert response.status_code == 200
    assert response.context["form"].errors["group_photo_consent"]
    assert 'value="yes" checked' in response.content.decode() or "checked" in response.content.decode()
    assert not ConsentChange.objects.exists()


def test_the_page_shows_current_answers_and_history(client, ouder, kind):
    record_consent(kind, ouder, {"photo_consent": True, "group_photo_consent": False})
    client.force_login(ouder)
    response = client.get(consent_url(kind))
    assert response.context["form"].initial == {"photo_consent": "yes", "group_photo_consent": "no"}
    assert len(response.context["history"]) == 2
    assert "Anne de Vries" in response.content.decode()


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_childs_parents_may_answer(client, everyone, kind, who):
    client.force_login(everyone[who])
    response = client.post(consent_url(kind), BOTH_YES)
    if who == "ouder":
        assert response.status_code == 302
    else:
        assert response.status_code == 404
        assert not Child.objects.get(pk=kind.pk).photo_consent


def test_anonymous_is_sent_to_login(client, kind):
    response = client.get(consent_url(kind))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_another_parent_of_the_same_child_sees_and_changes_the_same_consent(client, ouder, kind):
    other = GuardianshipFactory(child=kind).user
    record_consent(kind, ouder, {"photo_consent": True, "group_photo_consent": True})
    assert not awaiting_consent(other).exists()
    client.force_login(other)
    client.post(consent_url(kind), {"photo_consent": "yes", "group_photo_consent": "no"})
    assert ConsentChange.objects.filter(child=kind).first().changed_by == other


def test_new_parent_is_asked_after_accepting_and_then_for_the_next_child(client, ouder, kind):
    sibling = ChildFactory(group=kind.group, first_name="Noor")
    invitation = InvitationFactory(email=ouder.email, child=sibling, role=Invitation.Role.PARENT)
    client.force_login(ouder)
    response = client.post(invitation.get_absolute_url())
    # Both children are still unanswered: the first by name comes first.
    first, second = sorted([kind, sibling], key=lambda c: (c.first_name, c.pk))
    assert response.url == consent_url(first, welcome=True)
    page = client.get(response.url).content.decode()
    assert "Welcome" in page or "Welkom" in page
    response = client.post(consent_url(first, welcome=True), BOTH_YES)
    assert response.url == consent_url(second, welcome=True)
    response = client.post(consent_url(second, welcome=True), BOTH_YES)
    assert response.url == reverse("home")
    assert pending_consent_url(ouder) is None


def test_staff_accepting_an_invitation_is_not_asked_about_photos(client, medewerker, centrum, groep):
    invitation = InvitationFactory(email=medewerker.email, child=None, role=Invitation.Role.STAFF, centre=centrum)
    client.force_login(medewerker)
    response = client.post(invitation.get_absolute_url())
    assert response.url == reverse("home")


def test_staff_upload_warning_helper_follows_the_answers(ouder, kind):
    assert not kind.allows_timeline_photos and not kind.allows_group_photos
    record_consent(kind, ouder, {"photo_consent": True, "group_photo_consent": False})
    kind.refresh_from_db()
    assert kind.allows_timeline_photos and not kind.allows_group_photos


def test_my_privacy_page_per_child(client, ouder, kind, django_assert_max_num_queries):
    sibling = ChildFactory(group=kind.group, first_name="Noor")
    GuardianshipFactory(user=ouder, child=sibling)
    record_consent(kind, ouder, {"photo_consent": True, "group_photo_consent": False})
    client.force_login(ouder)
    client.get("/")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("children:my_privacy"))
    page = response.content.decode()
    assert response.context["unanswered"] == {sibling.pk}
    assert reverse("children:child_export", args=[kind.pk]) in page
    assert reverse("children:child_export", args=[sibling.pk]) in page


def test_the_form_asks_only_about_uses_that_exist(client, ouder, kind):
    """Photos on the child's timeline and profile, and photos in the group moments staff share: nothing else."""
    client.force_login(ouder)
    response = client.get(consent_url(kind))
    assert list(response.context["form"].fields) == ["photo_consent", "group_photo_consent"]
    with translation.override("en"):
        assert "group moment" in str(response.context["form"].fields["group_photo_consent"].help_text)
