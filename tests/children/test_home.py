"""Each role's home page, and the manager's centre pages."""

import pytest
from django.urls import reverse

from children.models import Child, Group
from tests.factories import ChildFactory, GuardianshipFactory


def test_anonymous_sees_public_home(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


@pytest.mark.parametrize("extra_children", [1, 15])
def test_parent_home_lists_own_children_with_constant_queries(
    client, ouder, kind, kind_elders, extra_children, django_assert_max_num_queries
):
    for n in range(extra_children):
        GuardianshipFactory(user=ouder, child=ChildFactory(group=kind.group, first_name=f"Broertje{n}"))
    client.force_login(ouder)
    client.get("/")  # the first request of a session records it (allauth user sessions)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    page = response.content.decode()
    assert kind.first_name in page and kind_elders.first_name not in page


@pytest.mark.parametrize("extra_children", [1, 15])
def test_staff_home_lists_group_children_with_constant_queries(
    client, medewerker, kind, kind_elders, extra_children, django_assert_max_num_queries
):
    for n in range(extra_children):
        ChildFactory(group=kind.group, first_name=f"Groepsgenoot{n}")
    client.force_login(medewerker)
    client.get("/")
    with django_assert_max_num_queries(8):
        response = client.get("/")
    page = response.content.decode()
    assert kind.first_name in page and kind_elders.first_name not in page


def test_manager_home_shows_centre(client, manager, centrum, centrum_elders, django_assert_max_num_queries):
    client.force_login(manager)
    client.get("/")
    with django_assert_max_num_queries(8):
        response = client.get("/")
    page = response.content.decode()
    assert centrum.name in page and centrum_elders.name not in page


def test_trainer_home_shows_no_children(client, trainer, kind):
    client.force_login(trainer)
    response = client.get("/")
    assert response.status_code == 200
    assert kind.first_name not in response.content.decode()


@pytest.mark.parametrize("groups", [1, 6])
def test_manager_centre_page(client, manager, centrum, groups, django_assert_max_num_queries):
    for n in range(groups):
        ChildFactory.create_batch(3, group=Group.objects.create(centre=centrum, name=f"G{n}"))
    client.force_login(manager)
    client.get("/")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("children:centre_detail", args=[centrum.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["ouder", "medewerker", "manager_elders", "medewerker_elders", "trainer"])
def test_centre_pages_are_for_its_managers_only(client, request, centrum, who):
    client.force_login(request.getfixturevalue(who))
    for name in ["centre_detail", "group_create", "child_create", "invite_staff"]:
        assert client.get(reverse(f"children:{name}", args=[centrum.pk])).status_code == 404, name


def test_anonymous_is_sent_to_login(client, centrum):
    response = client.get(reverse("children:centre_detail", args=[centrum.pk]))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_manager_adds_group_and_child(client, manager, centrum):
    client.force_login(manager)
    response = client.post(reverse("children:group_create", args=[centrum.pk]), {"name": "Kikkers"})
    assert response.status_code == 302
    group = Group.objects.get(centre=centrum, name="Kikkers")
    response = client.post(
        reverse("children:child_create", args=[centrum.pk]),
        {"first_name": "Ezra", "last_name": "Mulder", "date_of_birth": "2025-01-10", "group": group.pk},
    )
    child = Child.objects.get(first_name="Ezra")
    assert response.url == reverse("children:invite_parent", args=[child.pk])


def test_duplicate_group_name_gets_a_message(client, manager, groep):
    client.force_login(manager)
    response = client.post(reverse("children:group_create", args=[groep.centre.pk]), {"name": groep.name.upper()})
    assert response.status_code == 200
    assert "al een groep" in response.content.decode()


def test_child_cannot_be_placed_in_another_centres_group(client, manager, centrum, groep_elders):
    client.force_login(manager)
    response = client.post(
        reverse("children:child_create", args=[centrum.pk]),
        {"first_name": "Ezra", "date_of_birth": "2025-01-10", "group": groep_elders.pk},
    )
    assert response.status_code == 200
    assert not Child.objects.filter(first_name="Ezra").exists()


def test_child_form_keeps_input_on_error(client, manager, centrum, groep):
    client.force_login(manager)
    response = client.post(
        reverse("children:child_create", args=[centrum.pk]),
        {"first_name": "Ezra", "date_of_birth": "2025-01-10", "start_date": "2024-01-01", "group": groep.pk},
    )
    assert response.status_code == 200
    assert 'value="Ezra"' in response.content.decode()
