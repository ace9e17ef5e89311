"""The manager's centre pages (the home page of each role: tests/portal/test_home.py)."""

import pytest
from django.urls import reverse

from children.models import Child, Group
from tests.factories import ChildFactory


@pytest.mark.parametrize("groups", [1, 6])
def test_manager_centre_page(client, manager, centrum, groups, django_assert_max_num_queries):
    for n in range(groups):
        ChildFactory.create_batch(3, group=Group.objects.create(centre=centrum, name=f"G{n}"))
    client.force_login(manager)
    client.get("/")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("children:centre_detail", args=[centrum.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["ouder", "medewerker", "manager_elders", "medewerker_elders", "trainer"])
def test_centre_pages_are_for_its_managers_only(client, request, centrum, who):
    client.force_login(request.getfixturevalue(who))
    for name in ["children:centre_detail", "children:group_create", "children:child_create", "accounts:invite_staff"]:
        assert client.get(reverse(name, args=[centrum.pk])).status_code == 404, name


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
    assert response.url == reverse("accounts:invite_parent", args=[child.pk])


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
