"""The timeline and the staff group overview: filters, order, badges, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Child, Group
from partnership.models import Observation, Side, Theme
from tests.factories import ChildFactory, GuardianshipFactory, MembershipFactory

from .factories import ObservationFactory, ObservationPhotoFactory, ReplyFactory, TipOutcomeFactory, nl
from .test_observations_models import SEES_KIND


def fill_timeline(child, parent, staff, count):
    """`count` observations from both sides, each with a reply, a tip that was tried, and a photo."""
    for n in range(count):
        home = n % 2 == 0
        observation = ObservationFactory(
            child=child,
            author=parent if home else staff,
            side=Side.HOME if home else Side.CENTRE,
            theme=Theme.values[n % len(Theme.values)],
            is_question=home and n % 4 == 0,
        )
        ReplyFactory(observation=observation, author=staff if home else parent, side=Side.CENTRE if home else Side.HOME)
        TipOutcomeFactory(
            tip__observation=observation,
            tip__author=staff,
            tip__side=Side.CENTRE,
            author=parent,
            comment="Het hielp een beetje.",
        )
        ObservationPhotoFactory(observation=observation)


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("who", ["ouder", "medewerker"])
def test_timeline_queries_do_not_grow(
    client, request, kind, ouder, medewerker, count, who, django_assert_max_num_queries
):
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    fill_timeline(kind, ouder, medewerker, count)
    client.force_login(request.getfixturevalue(who))
    client.get(kind.get_absolute_url())
    with django_assert_max_num_queries(20):
        response = client.get(kind.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 15)


def test_timeline_per_role(client, everyone, kind):
    for name, user in everyone.items():
        client.force_login(user)
        assert client.get(kind.get_absolute_url()).status_code == (200 if SEES_KIND[name] else 404), name
    client.logout()
    assert client.get(kind.get_absolute_url()).status_code == 302


def test_timeline_shows_both_sides_marked_newest_first(client, kind, ouder, medewerker):
    today = timezone.localdate()
    ObservationFactory(child=kind, author=ouder, side=Side.HOME, observed_on=today - timedelta(days=2), text="Oud")
    ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, observed_on=today, text="Nieuw")
    client.force_login(ouder)
    response = client.get(kind.get_absolute_url())
    page = response.content.decode()
    assert [o.text for o in response.context["page"]] == ["Nieuw", "Oud"]
    assert 'data-side="home"' in page and 'data-side="centre"' in page
    assert "offset-md-3" in page  # the centre's column


def test_timeline_filters_by_theme_and_side(client, kind, ouder, medewerker):
    ObservationFactory(child=kind, author=ouder, side=Side.HOME, theme=Theme.SLEEPING, text="thuis slapen")
    ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, theme=Theme.SLEEPING, text="groep slapen")
    ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, theme=Theme.EATING, text="groep eten")
    client.force_login(ouder)
    texts = lambda response: sorted(o.text for o in response.context["page"])  # noqa: E731
    assert texts(client.get(kind.get_absolute_url(), {"theme": "sleeping"})) == ["groep slapen", "thuis slapen"]
    assert texts(client.get(kind.get_absolute_url(), {"side": "centre"})) == ["groep eten", "groep slapen"]
    assert texts(client.get(kind.get_absolute_url(), {"theme": "sleeping", "side": "home"})) == ["thuis slapen"]
    # A bad filter value is ignored rather than an error.
    assert len(texts(client.get(kind.get_absolute_url(), {"theme": "<script>"}))) == 3


def test_timeline_filter_with_htmx_returns_only_the_timeline(client, kind, ouder):
    ObservationFactory(child=kind, author=ouder, theme=Theme.EATING, text="Boterham met kaas")
    client.force_login(ouder)
    response = client.get(
        kind.get_absolute_url(), {"theme": "eating"}, headers={"HX-Request": "true", "HX-Target": "timeline"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="timeline"') and "<html" not in body
    assert "Boterham met kaas" in body


def test_timeline_is_paginated_and_pages_keep_the_filter(client, kind, ouder):
    for _ in range(16):
        ObservationFactory(child=kind, author=ouder, theme=Theme.PLAYING)
    client.force_login(ouder)
    response = client.get(kind.get_absolute_url(), {"theme": "playing"})
    assert response.context["page"].paginator.num_pages == 2
    assert "?theme=playing&amp;page=2" in response.content.decode()
    assert len(client.get(kind.get_absolute_url(), {"theme": "playing", "page": 2}).context["page"]) == 1
    assert client.get(kind.get_absolute_url(), {"page": "zzz"}).status_code == 200


def test_monthly_summary_per_theme(client, kind, ouder, medewerker):
    today = timezone.localdate()
    ObservationFactory(child=kind, author=ouder, side=Side.HOME, theme=Theme.SLEEPING, text="Thuis goed geslapen")
    ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, theme=Theme.SLEEPING, text="Middagslaap kort")
    ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, theme=Theme.SLEEPING, text="Nog korter")
    last_month = today.replace(day=1) - timedelta(days=1)
    ObservationFactory(child=kind, author=ouder, theme=Theme.EATING, observed_on=last_month)
    deleted = ObservationFactory(child=kind, author=ouder, theme=Theme.TOILET)
    deleted.soft_delete()
    client.force_login(ouder)
    [sleeping] = client.get(kind.get_absolute_url()).context["summary"]
    assert sleeping.theme == Theme.SLEEPING
    assert (sleeping.home.count, sleeping.centre.count) == (1, 2)
    assert sleeping.home.latest == "Thuis goed geslapen"


def test_childs_page_still_offers_invitations_to_staff(client, kind, ouder, medewerker, manager):
    invite = reverse("accounts:invite_parent", args=[kind.pk])
    for user, sees in ((medewerker, True), (manager, True), (ouder, False)):
        client.force_login(user)
        assert (invite in client.get(kind.get_absolute_url()).content.decode()) is sees


def test_group_overview_per_role(client, everyone, kind, kind_buur, kind_elders):
    url = reverse("partnership:group_overview")
    expected = {"medewerker": 200, "manager": 200, "medewerker_elders": 200, "manager_elders": 200}
    for name, user in everyone.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected.get(name, 404), name
        if response.status_code == 200:
            shown = {child.pk for child in response.context["page"]}
            assert shown == ({kind_elders.pk} if name.endswith("elders") else {kind.pk, kind_buur.pk}), name
    client.logout()
    assert client.get(url).status_code == 302


def test_overview_badges_and_the_longest_wait_first(client, kind, kind_buur, ouder, ouder_buur, medewerker):
    long_ago = ObservationFactory(child=kind_buur, author=ouder_buur, side=Side.HOME, is_question=True)
    Observation.objects.filter(pk=long_ago.pk).update(created_at=timezone.now() - timedelta(days=3))
    ObservationFactory(child=kind, author=ouder, side=Side.HOME)
    quiet = ChildFactory(group=kind.group, first_name="Aaron")
    client.force_login(medewerker)
    response = client.get(reverse("partnership:group_overview"))
    assert [c.pk for c in response.context["page"]] == [kind_buur.pk, kind.pk, quiet.pk]
    page = response.content.decode()
    assert "waiting-questions" in page and "waiting-observations" in page
    # A reply from the team settles it; a reply from the parent does not.
    ReplyFactory(observation=long_ago, author=ouder_buur, side=Side.HOME)
    assert client.get(reverse("partnership:group_overview")).context["page"][0].pk == kind_buur.pk
    ReplyFactory(observation=long_ago, author=medewerker, side=Side.CENTRE)
    first = client.get(reverse("partnership:group_overview")).context["page"][0]
    assert first.pk == kind.pk and first.waiting_count == 1


def test_overview_filters_by_my_group_only(client, medewerker, manager, kind, andere_groep, groep_elders):
    other = ChildFactory(group=andere_groep)
    client.force_login(manager)
    url = reverse("partnership:group_overview")
    assert {c.pk for c in client.get(url, {"group": andere_groep.pk}).context["page"]} == {other.pk}
    assert client.get(url, {"group": groep_elders.pk}).status_code == 404
    assert client.get(url, {"group": "abc"}).status_code == 404
    client.force_login(medewerker)
    assert client.get(url, {"group": andere_groep.pk}).status_code == 404


def test_children_who_left_are_not_in_the_overview(client, medewerker, kind, kind_buur):
    Child.objects.filter(pk=kind_buur.pk).update(end_date=timezone.localdate())
    client.force_login(medewerker)
    assert [c.pk for c in client.get(reverse("partnership:group_overview")).context["page"]] == [kind.pk]


@pytest.mark.parametrize("size", [1, 8])
def test_overview_queries_do_not_grow(client, medewerker, manager, groep, size, django_assert_max_num_queries):
    for n in range(size):
        group = groep if n % 2 else Group.objects.create(centre=groep.centre, name=f"Groep {n}")
        medewerker.memberships.get().groups.add(group)
        child = ChildFactory(group=group)
        parent = GuardianshipFactory(child=child).user
        fill_timeline(child, parent, medewerker, 3)
    for user in (medewerker, manager):
        client.force_login(user)
        client.get(reverse("partnership:group_overview"))
        with django_assert_max_num_queries(10):
            response = client.get(reverse("partnership:group_overview"))
        assert len(response.context["page"]) == size
        # The home adds today's and this week's events and agreements due for review to the overview.
        with django_assert_max_num_queries(11):
            home = client.get("/")
        assert home.status_code == 200


def test_home_page_shows_the_overview_to_staff(client, medewerker, kind, ouder):
    ObservationFactory(child=kind, author=ouder, side=Side.HOME, is_question=True)
    client.force_login(medewerker)
    page = client.get("/").content.decode()
    assert kind.get_absolute_url() in page and "waiting-questions" in page
    assert reverse("partnership:group_overview") in page


def test_parents_do_not_get_the_overview(client, ouder, kind):
    client.force_login(ouder)
    page = client.get("/").content.decode()
    assert reverse("partnership:group_overview") not in page
    assert nl("Group overview") not in page


def test_staff_member_of_two_centres_sees_both(client, medewerker, kind, kind_elders, groep_elders):
    MembershipFactory(user=medewerker, centre=groep_elders.centre, role="staff", groups=[groep_elders])
    client.force_login(medewerker)
    shown = {c.pk for c in client.get(reverse("partnership:group_overview")).context["page"]}
    assert {kind.pk, kind_elders.pk} <= shown
