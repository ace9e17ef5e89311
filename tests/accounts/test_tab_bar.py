"""The tab bar on phones: each role's main sections, the current one marked, unread notifications counted."""

import re

import pytest
from django.template import RequestContext, Template
from django.urls import reverse

from notifications.services import notify
from tests.factories import CentreFactory, ChildFactory, GuardianshipFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def tab_bar(client, path="/"):
    html = client.get(path).content.decode()
    found = re.search(r'<nav class="tab-bar[^"]*" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    return found and found.group(2)


def tabs(bar):
    return re.findall(r'<span class="tab-label">([^<]+)</span>', bar)


def current(bar):
    return re.findall(r'aria-current="page">.*?<span class="tab-label">([^<]+)</span>', bar, re.S)


def test_parent_of_one_child_has_a_tab_with_the_childs_name(client, ouder, kind):
    client.force_login(ouder)
    bar = tab_bar(client)
    assert tabs(bar) == ["Start", kind.first_name, "Activiteiten", "Meldingen"]
    assert current(bar) == ["Start"]
    assert current(tab_bar(client, kind.get_absolute_url())) == [kind.first_name]
    assert current(tab_bar(client, reverse("partnership:event_list"))) == ["Activiteiten"]


def test_parent_of_two_children_chooses_the_child_from_a_menu(client, ouder, kind, groep):
    second = ChildFactory(group=groep, first_name="Noor")
    GuardianshipFactory(user=ouder, child=second)
    client.force_login(ouder)
    bar = tab_bar(client, second.get_absolute_url())
    assert "Kinderen" in tabs(bar)
    assert f'href="{second.get_absolute_url()}" aria-current="page"' in bar
    assert f'href="{kind.get_absolute_url()}"' in bar
    assert 'aria-current="true"' in bar  # the menu button of the current section


def test_staff_manager_and_trainer_sections(client, medewerker, manager, trainer, centrum):
    client.force_login(medewerker)
    assert tabs(tab_bar(client)) == ["Start", "Groep", "Activiteiten", "Meldingen"]
    assert current(tab_bar(client, reverse("partnership:group_overview"))) == ["Groep"]
    client.force_login(manager)
    assert tabs(tab_bar(client)) == ["Start", "Groep", "Locatie", "Activiteiten", "Meldingen"]
    assert current(tab_bar(client, centrum.get_absolute_url())) == ["Locatie"]
    client.force_login(trainer)
    assert tabs(tab_bar(client)) == ["Start", "Intake", "Boekingen", "Aanbod", "Meldingen"]
    assert current(tab_bar(client, reverse("trainings:booking_list"))) == ["Boekingen"]


def test_someone_with_many_roles_gets_at_most_five_tabs(client, manager, kind):
    GuardianshipFactory(user=manager, child=kind)
    MembershipFactory(user=manager, centre=CentreFactory(), role="manager")
    client.force_login(manager)
    labels = tabs(tab_bar(client))
    assert len(labels) == 5 and labels[0] == "Start" and labels[-1] == "Meldingen"


def test_unread_notifications_show_on_the_tab(client, ouder):
    notify([ouder], lambda: "Er is iets nieuws", reverse("home"))
    client.force_login(ouder)
    bar = tab_bar(client)
    assert re.search(r'text-bg-warning">1<span class="visually-hidden"> ongelezen</span>', bar)


def test_nobody_logged_in_has_no_tab_bar(client, centrum):
    assert tab_bar(client) is None


def test_the_tab_bar_costs_few_queries(rf, manager, kind, django_assert_max_num_queries):
    """Roles, the parent's children (through their scope) and the managed centres: a few queries, however
    many children and centres there are."""
    GuardianshipFactory(user=manager, child=kind)
    for _ in range(5):
        GuardianshipFactory(user=manager, child=ChildFactory(group=kind.group))
        MembershipFactory(user=manager, centre=CentreFactory(), role="manager")
    request = rf.get("/events/")
    request.user = manager
    template = Template("{% load navigation %}{% tab_bar %}")
    with django_assert_max_num_queries(4):
        html = template.render(RequestContext(request, {}))
    assert "Kinderen" in html and "Locaties" in html
