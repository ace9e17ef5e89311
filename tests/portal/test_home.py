"""The home page of each role: the parent's news since the last visit, the staff's week, the manager's centres."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child, Membership
from partnership.models import ChildAgreement, Side
from tests.factories import ChildFactory, GuardianshipFactory, MembershipFactory, UserFactory
from tests.partnership.event_factories import ChildAgreementFactory, EventFactory, RsvpFactory
from tests.partnership.factories import ObservationFactory, ObservationPhotoFactory, ReplyFactory, TipOutcomeFactory


def _home(client, user, **params):
    client.force_login(user)
    return client.get("/", params)


def _page(response):
    return response.content.decode()


def _feed(response):
    """The parent's news list alone."""
    return _page(response).split('id="home-feed"')[1].split('id="upcoming-events"')[0]


@pytest.fixture
def news(kind, medewerker, ouder):
    """One of each kind of news for `kind`'s parent, from the group."""
    observation = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text="Jip bouwde een toren")
    reply = ReplyFactory(
        observation=ObservationFactory(child=kind, author=ouder, side=Side.HOME, text="Thuis slaapt Jip slecht"),
        author=medewerker,
        text="Bij ons slaapt hij goed na het zingen",
    )
    tip = ReplyFactory(observation=reply.observation, author=medewerker, is_tip=True, text="Probeer een vast liedje")
    agreement = ChildAgreementFactory(
        child=kind, proposed_side=ChildAgreement.Side.CENTRE, proposed_by=medewerker, title="Zwaaien bij het raam"
    )
    event = EventFactory(centre=kind.group.centre, title="Koffieochtend voor ouders")
    return {"observation": observation, "reply": reply, "tip": tip, "agreement": agreement, "event": event}


def test_anonymous_sees_public_home(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("account_login") in _page(response)


def test_parent_sees_news_of_each_kind_with_links(client, ouder, news):
    page = _page(_home(client, ouder))
    assert "Jip bouwde een toren" in page
    assert "Bij ons slaapt hij goed na het zingen" in page
    assert "Probeer een vast liedje" in page
    assert "Zwaaien bij het raam" in page and "Koffieochtend voor ouders" in page
    for obj in (news["observation"], news["agreement"], news["event"]):
        assert f'href="{obj.get_absolute_url()}"' in page
    assert f'href="{news["reply"].get_absolute_url()}"' in page
    # The parent's own words are not news to them.
    assert "Thuis slaapt Jip slecht" not in page


def test_parent_news_is_newest_first(client, ouder, kind, medewerker):
    older = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text="Eerste bericht")
    newer = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text="Tweede bericht")
    type(older).objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    page = _page(_home(client, ouder))
    assert page.index(newer.text) < page.index(older.text)


def test_answered_tip_agreement_and_event_are_no_longer_waiting(client, ouder, news):
    TipOutcomeFactory(tip=news["tip"], author=ouder)
    ChildAgreement.objects.filter(pk=news["agreement"].pk).update(status=ChildAgreement.Status.ACCEPTED)
    RsvpFactory(event=news["event"], person=ouder)
    page = _feed(_home(client, ouder))
    assert "Zwaaien bij het raam" not in page
    assert "Koffieochtend voor ouders" not in page
    # the tip stays as a reply from the group, no longer asking "did it work?"
    assert "Probeer een vast liedje" in page
    assert 'class="list-group-item feed-item feed-tip' not in page


def test_items_since_the_last_visit_are_marked_new(client, ouder, kind, medewerker):
    old = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text="Van voor het vorige bezoek")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    User.objects.filter(pk=ouder.pk).update(last_home_seen_at=timezone.now() - timedelta(hours=1))
    ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text="Van na het vorige bezoek")
    page = _page(_home(client, ouder))
    new_part, old_part = page.split("Van na het vorige bezoek")[0], page.split("Van na het vorige bezoek")[1]
    assert "is-new" in new_part.rsplit("<li", 1)[1]
    assert "is-new" not in old_part.split("Van voor het vorige bezoek")[0].rsplit("<li", 1)[1]
    ouder.refresh_from_db()
    assert ouder.last_home_seen_at > timezone.now() - timedelta(minutes=1)
    # A reload is the same visit: what was new stays marked.
    assert "is-new" in _page(client.get("/"))
    # The next visit, after being away a while: nothing is new any more.
    User.objects.filter(pk=ouder.pk).update(last_home_seen_at=timezone.now() - timedelta(minutes=45))
    type(old).objects.filter(child=kind).update(created_at=timezone.now() - timedelta(hours=2))
    assert "is-new" not in _page(client.get("/"))


def test_news_is_paginated_with_a_more_link(client, ouder, kind, medewerker):
    for n in range(20):
        ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text=f"Bericht nummer {n:02d}")
    first = _page(_home(client, ouder))
    assert "Bericht nummer 19" in first and "Bericht nummer 00" not in first
    assert "?page=2" in first
    second = _page(client.get("/", {"page": 2}))
    assert "Bericht nummer 00" in second and "Bericht nummer 19" not in second
    assert _home(client, ouder, page="x").status_code == 200


def test_thumbnails_only_with_photo_consent(client, ouder, kind, medewerker):
    photo = ObservationPhotoFactory(observation=ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE))
    kind.photo_consent = False
    kind.save()
    assert photo.get_thumbnail_url() not in _page(_home(client, ouder))
    kind.photo_consent = True
    kind.save()
    assert photo.get_thumbnail_url() in _page(_home(client, ouder))


def test_child_card_shows_initials_without_photo(client, ouder, kind):
    kind.last_name = "Jansen"
    kind.save()
    page = _page(_home(client, ouder))
    assert 'child-initials" aria-hidden="true">JJ<' in page
    assert reverse("children:child_photo_thumbnail", args=[kind.pk]) not in page
    assert reverse("partnership:observation_create", args=[kind.pk]) in page


def test_another_centres_parent_sees_nothing_of_ours(client, ouder_elders, news, kind):
    page = _page(_home(client, ouder_elders))
    for text in ("Jip bouwde een toren", "Probeer een vast liedje", "Zwaaien bij het raam", "Koffieochtend"):
        assert text not in page
    assert kind.first_name not in page


def test_neighbours_parent_sees_nothing_of_our_child(client, ouder_buur, news):
    page = _page(_home(client, ouder_buur))
    assert "Jip bouwde een toren" not in page and "Zwaaien bij het raam" not in page
    assert "Koffieochtend voor ouders" in page  # the event invites the whole centre


@pytest.mark.parametrize("who", ["medewerker_elders", "manager_elders", "trainer"])
def test_professionals_of_another_centre_see_nothing_of_ours(client, request, who, news, kind):
    ChildAgreement.objects.filter(pk=news["agreement"].pk).update(
        status=ChildAgreement.Status.ACCEPTED, review_date=timezone.localdate()
    )
    page = _page(_home(client, request.getfixturevalue(who)))
    for text in (kind.first_name, "Koffieochtend voor ouders", "Zwaaien bij het raam", "Jip bouwde"):
        assert text not in page


@pytest.mark.parametrize("size", [1, 12])
def test_parent_home_queries_do_not_grow(client, ouder, kind, medewerker, size, django_assert_max_num_queries):
    for n in range(size):
        child = ChildFactory(group=kind.group, first_name=f"Broertje{n}", photo_consent=True)
        GuardianshipFactory(user=ouder, child=child)
        observation = ObservationFactory(child=child, author=medewerker, side=Side.CENTRE)
        ObservationPhotoFactory(observation=observation)
        ReplyFactory(observation=observation, author=medewerker, is_tip=True)
        ChildAgreementFactory(child=child, proposed_side=ChildAgreement.Side.CENTRE, proposed_by=medewerker)
        EventFactory(centre=kind.group.centre)
    client.force_login(ouder)
    client.get("/")  # the first request of a session records it (allauth user sessions)
    with django_assert_max_num_queries(16):
        response = client.get("/")
    assert "Broertje0" in _page(response)


def test_staff_home_keeps_waiting_queue_and_shows_the_week(client, medewerker, kind, ouder, kind_elders):
    ObservationFactory(child=kind, author=ouder, side=Side.HOME, is_question=True)
    now = timezone.now()
    # Today in Amsterdam at any hour the suite runs: started at most an hour ago (never before midnight), still on.
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    today = max(midnight, now - timedelta(hours=1))
    EventFactory(centre=kind.group.centre, title="Vandaag ouderavond", starts_at=today)
    EventFactory(centre=kind.group.centre, title="Over drie dagen", starts_at=now + timedelta(days=3))
    EventFactory(centre=kind.group.centre, title="Over een maand", starts_at=now + timedelta(days=30))
    EventFactory(centre=kind_elders.group.centre, title="Elders vandaag", starts_at=today)
    agreement = ChildAgreementFactory(child=kind, title="Slapen met knuffel", status=ChildAgreement.Status.ACCEPTED)
    ChildAgreement.objects.filter(pk=agreement.pk).update(review_date=timezone.localdate() + timedelta(days=2))
    ChildAgreementFactory(child=kind_elders, title="Elders afspraak", status=ChildAgreement.Status.ACCEPTED)
    page = _page(_home(client, medewerker))
    assert "waiting-questions" in page  # the waiting queue
    today, coming = page.split('class="list-group mb-3 week-today"')[1].split("week-coming")
    assert "Vandaag ouderavond" in today and "Over drie dagen" in coming.split("week-reviews")[0]
    assert "Over een maand" not in page.split("this-week")[1].split("</section>")[0]
    assert "Slapen met knuffel" in page
    assert "Elders vandaag" not in page and "Elders afspraak" not in page


def test_staff_does_not_see_agreements_of_other_groups(client, medewerker, andere_groep):
    other = ChildFactory(group=andere_groep)
    agreement = ChildAgreementFactory(child=other, title="Andere groep afspraak", status="accepted")
    ChildAgreement.objects.filter(pk=agreement.pk).update(review_date=timezone.localdate())
    assert "Andere groep afspraak" not in _page(_home(client, medewerker))


@pytest.mark.parametrize("size", [1, 10])
def test_staff_home_queries_do_not_grow(client, medewerker, kind, ouder, size, django_assert_max_num_queries):
    for n in range(size):
        child = ChildFactory(group=kind.group, first_name=f"Groepsgenoot{n}")
        ObservationFactory(child=child, author=ouder, side=Side.HOME)
        EventFactory(centre=kind.group.centre, starts_at=timezone.now() + timedelta(days=n % 6, hours=1))
        agreement = ChildAgreementFactory(child=child, status=ChildAgreement.Status.ACCEPTED)
        ChildAgreement.objects.filter(pk=agreement.pk).update(review_date=timezone.localdate())
    client.force_login(medewerker)
    client.get("/")
    with django_assert_max_num_queries(14):
        response = client.get("/")
    assert "Groepsgenoot0" in _page(response)


def test_manager_home_and_centre_page_count_the_same_children(client, manager, centrum, groep, kind):
    left = ChildFactory(group=groep, first_name="Vertrokken", end_date=timezone.localdate() - timedelta(days=3))
    client.force_login(manager)
    home = _page(client.get("/"))
    current = Child.objects.current().filter(group__centre=centrum).count()
    assert current == 1
    assert "1 kind" in home
    centre_page = _page(client.get(reverse("children:centre_detail", args=[centrum.pk])))
    current_part, former_part = centre_page.split("former-children")
    assert kind.first_name in current_part and "Vertrokken" in former_part
    assert reverse("accounts:invite_parent", args=[left.pk]) not in centre_page
    assert reverse("accounts:invite_parent", args=[kind.pk]) in centre_page
    assert client.get(reverse("accounts:invite_parent", args=[left.pk])).status_code == 404


@pytest.mark.parametrize("centres", [1, 5])
def test_manager_home_queries_do_not_grow(client, manager, centrum, centres, django_assert_max_num_queries):
    for n in range(centres):
        other = ChildFactory(first_name=f"Kind{n}").group.centre
        MembershipFactory(user=manager, centre=other, role=Membership.Role.MANAGER)
        EventFactory(centre=other, starts_at=timezone.now() + timedelta(hours=2))
    client.force_login(manager)
    client.get("/")
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert centrum.name in _page(response)


def test_manager_home_shows_only_own_centres(client, manager, centrum, centrum_elders):
    page = _page(_home(client, manager))
    assert centrum.name in page and centrum_elders.name not in page


def test_trainer_home_shows_no_children(client, trainer, kind):
    response = _home(client, trainer)
    assert response.status_code == 200
    assert kind.first_name not in _page(response)


def test_person_without_a_role_is_told_to_ask_for_an_invitation(client, db):
    response = _home(client, UserFactory())
    assert response.status_code == 200 and "empty-state" in _page(response)


def test_a_child_who_left_keeps_its_staff_links_but_has_no_parent_invitation(client, medewerker, kind):
    client.force_login(medewerker)
    invite = reverse("accounts:invite_parent", args=[kind.pk])
    assert invite in client.get(kind.get_absolute_url()).content.decode()
    Child.objects.filter(pk=kind.pk).update(end_date=timezone.localdate() - timedelta(days=1))
    page = client.get(kind.get_absolute_url()).content.decode()
    assert invite not in page
    assert reverse("partnership:handover_start", args=[kind.pk]) in page


def test_staff_home_lists_parents_proposals_waiting_for_the_centre(client, medewerker, ouder, kind, kind_elders):
    ChildAgreementFactory(child=kind, proposed_side=ChildAgreement.Side.HOME, proposed_by=ouder, title="Speen mee")
    ChildAgreementFactory(child=kind, proposed_side=ChildAgreement.Side.CENTRE, title="Voorstel van ons")
    ChildAgreementFactory(child=kind_elders, proposed_side=ChildAgreement.Side.HOME, title="Elders voorstel")
    page = _page(_home(client, medewerker))
    proposals = page.split("week-proposals")[1].split("</ul>")[0]
    assert "Speen mee" in proposals
    assert "Voorstel van ons" not in proposals and "Elders voorstel" not in page


def test_no_thumbnail_for_a_photo_still_being_processed(client, ouder, kind, medewerker):
    from children.photos import PhotoStatus

    kind.photo_consent = True
    kind.save()
    observation = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE)
    processing = ObservationPhotoFactory(observation=observation)
    type(processing).objects.filter(pk=processing.pk).update(status=PhotoStatus.PENDING)
    assert processing.get_thumbnail_url() not in _page(_home(client, ouder))
