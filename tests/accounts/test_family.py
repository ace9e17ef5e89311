"""The wider family: a parent invites a grandparent for one child; they read and reply, and change nothing else."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, User
from children.models import AccessLog, Child, FamilyMember, roles_of
from partnership.models import MomentReply, Reply, Side
from tests.factories import GuardianshipFactory, UserFactory
from tests.partnership.factories import ObservationFactory
from tests.partnership.team_factories import FamilyMemberFactory, GroupMomentFactory, MomentPhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def oma(kind, ouder):
    user = UserFactory(email="oma@example.org", name="Oma Riet")
    FamilyMemberFactory(child=kind, user=user, invited_by=ouder)
    return user


def family_url(child):
    return reverse("accounts:child_family", args=[child.pk])


def test_a_parent_invites_a_grandparent_who_signs_up_and_follows_the_child(
    client, ouder, kind, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(family_url(kind), {"name": "Opa Henk", "email": "Opa@Example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.child, invitation.email, invitation.invited_by) == (
        "family",
        kind,
        "opa@example.org",
        ouder,
    )
    assert invitation.get_absolute_url() in mailoutbox[0].body
    client.logout()

    client.get(invitation.get_absolute_url())
    password = "Zonnebloem-2026!"
    response = client.post(
        reverse("account_signup"),
        {"name": "Opa Henk", "email": "opa@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    opa = User.objects.get(email="opa@example.org")
    assert FamilyMember.objects.active().filter(child=kind, user=opa).exists()
    assert roles_of(opa) == frozenset({"family"})
    assert AccessLog.objects.filter(user=opa, child=kind, what="family_access").exists()
    home = client.get(reverse("home")).content.decode()
    assert kind.get_absolute_url() in home


def test_family_reads_the_timeline_and_moments_and_replies_from_home(client, oma, kind, medewerker, groep):
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    observation = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text="Jip hielp met opruimen")
    moment = GroupMomentFactory(group=groep, children=[kind], text="Dansen in de speelzaal")
    photo = MomentPhotoFactory(moment=moment, children=[kind])
    client.force_login(oma)
    page = client.get(kind.get_absolute_url()).content.decode()
    assert "Jip hielp met opruimen" in page and "Dansen in de speelzaal" in page
    assert f"/moment-photos/{photo.pk}/" in page
    assert client.get(reverse("partnership:moment_photo", args=[photo.pk])).status_code == 200
    assert client.get(observation.get_absolute_url()).status_code == 200

    prefix = f"reply-{observation.pk}"
    client.post(reverse("partnership:reply_create", args=[observation.pk]), {f"{prefix}-text": "Thuis ook!"})
    reply = Reply.objects.get()
    assert (reply.author, reply.side) == (oma, Side.HOME)
    client.post(
        reverse("partnership:moment_reply", args=[moment.pk]),
        {"child": kind.pk, f"moment-{moment.pk}-{kind.pk}-text": "Wat leuk"},
    )
    assert MomentReply.objects.get().side == Side.HOME
    assert AccessLog.objects.filter(user=oma, child=kind, what="timeline").exists(), "family reads are logged"


def test_family_cannot_change_anything_else_or_see_another_child(client, oma, kind, kind_buur, groep):
    client.force_login(oma)
    forbidden = [
        reverse("children:child_profile_edit", args=[kind.pk]),
        reverse("children:child_profile_history", args=[kind.pk]),
        reverse("children:consent_edit", args=[kind.pk]),
        reverse("children:child_export", args=[kind.pk]),
        reverse("children:child_access_log", args=[kind.pk]),
        reverse("partnership:child_agreements", args=[kind.pk]),
        reverse("partnership:observation_create", args=[kind.pk]),
        reverse("partnership:child_absences", args=[kind.pk]),
        reverse("partnership:child_messages", args=[kind.pk]),
        family_url(kind),
        kind_buur.get_absolute_url(),
    ]
    for url in forbidden:
        assert client.get(url).status_code == 404, url
    page = client.get(kind.get_absolute_url()).content.decode()
    assert reverse("children:child_profile_edit", args=[kind.pk]) not in page


def test_both_parents_see_who_has_access_and_either_revokes(client, oma, kind, ouder):
    tweede = UserFactory(email="tweede@example.org")
    GuardianshipFactory(user=tweede, child=kind)
    member = FamilyMember.objects.get()
    client.force_login(ouder)
    assert "Oma Riet" in client.get(family_url(kind)).content.decode()
    client.force_login(tweede)
    assert "Oma Riet" in client.get(family_url(kind)).content.decode()
    client.post(reverse("accounts:family_member_revoke", args=[member.pk]))
    member.refresh_from_db()
    assert member.revoked_at is not None and member.revoked_by == tweede
    assert AccessLog.objects.filter(user=oma, child=kind, what="family_revoked").exists()
    client.force_login(oma)
    assert client.get(kind.get_absolute_url()).status_code == 404
    assert roles_of(User.objects.get(pk=oma.pk)) == frozenset()


def test_a_pending_family_invitation_can_be_withdrawn_by_a_parent_only(client, ouder, ouder_buur, medewerker, kind):
    client.force_login(ouder)
    client.post(family_url(kind), {"name": "Tante", "email": "tante@example.org"})
    invitation = Invitation.objects.get()
    revoke = reverse("accounts:family_invitation_revoke", args=[invitation.pk])
    for person in (ouder_buur, medewerker):
        client.force_login(person)
        assert client.post(revoke).status_code == 404
    client.force_login(ouder)
    client.post(revoke)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_inviting_twice_or_a_parent_is_refused(client, ouder, kind, oma):
    client.force_login(ouder)
    for email in ("ouder@example.org", "oma@example.org"):
        response = client.post(family_url(kind), {"name": "X", "email": email})
        assert response.status_code == 200 and response.context["form"].errors
    client.post(family_url(kind), {"name": "Tante", "email": "tante@example.org"})
    response = client.post(family_url(kind), {"name": "Tante", "email": "tante@example.org"})
    assert response.context["form"].errors
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("person", ["medewerker", "manager", "ouder_buur", "ouder_elders", "manager_elders", "trainer"])
def test_only_the_childs_parents_manage_family_access(client, request, kind, oma, person):
    member = FamilyMember.objects.get()
    client.force_login(request.getfixturevalue(person))
    assert client.get(family_url(kind)).status_code == 404
    assert client.post(family_url(kind), {"name": "X", "email": "x@example.org"}).status_code == 404
    assert client.post(reverse("accounts:family_member_revoke", args=[member.pk])).status_code == 404
    assert FamilyMember.objects.get().is_active and not Invitation.objects.exists()


def test_anonymous_visitors_go_to_the_login(client, kind, oma):
    member = FamilyMember.objects.get()
    for url in (family_url(kind), reverse("accounts:family_member_revoke", args=[member.pk])):
        response = client.post(url) if "revoke" in url else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_visible_to_of_family_access(kind, kind_elders, oma, ouder, medewerker, ouder_buur, medewerker_elders):
    member = FamilyMember.objects.get()
    FamilyMemberFactory(child=kind_elders)
    for person in (ouder, medewerker, oma):
        assert list(FamilyMember.objects.visible_to(person)) == [member]
    for person in (ouder_buur, medewerker_elders):
        assert member not in FamilyMember.objects.visible_to(person)
    assert list(Child.objects.readable_by(oma)) == [kind]
    assert not Child.objects.visible_to(oma).exists(), "the scope for changing things stays closed"


@pytest.mark.parametrize("size", [1, 8])
def test_the_family_page_queries_do_not_grow(client, ouder, kind, size, django_assert_max_num_queries):
    for _ in range(size):
        FamilyMemberFactory(child=kind, invited_by=ouder)
    client.force_login(ouder)
    client.post(family_url(kind), {"name": "Tante", "email": "tante@example.org"})
    with django_assert_max_num_queries(12):
        assert client.get(family_url(kind)).status_code == 200


def test_demo_data_has_a_grandmother_following_sam():
    from django.core.management import call_command

    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    oma = User.objects.get(email="oma@example.org")
    assert list(Child.objects.readable_by(oma).values_list("first_name", flat=True)) == ["Sam"]
    assert FamilyMember.objects.filter(user=oma).count() == 1
    assert MomentReply.objects.filter(author=oma).count() == 1
