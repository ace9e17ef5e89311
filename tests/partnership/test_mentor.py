"""The child's mentor: chosen from the staff of the child's group, shown to the parents, kept in the history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from children.models import Child, Membership
from notifications.models import Notification
from tests.factories import ChildFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(child):
    return reverse("partnership:mentor_assign", args=[child.pk])


@pytest.fixture
def collega(groep):
    user = UserFactory(email="collega@example.org", name="Karin Jansen")
    MembershipFactory(user=user, centre=groep.centre, role=Membership.Role.STAFF, groups=[groep])
    return user


def test_manager_assigns_a_mentor_and_the_parents_are_told(client, manager, medewerker, ouder, kind):
    client.force_login(manager)
    page = client.get(url(kind))
    assert page.status_code == 200
    assert medewerker.name in page.content.decode()

    response = client.post(url(kind), {"mentor": medewerker.pk}, follow=True)

    kind.refresh_from_db()
    assert kind.mentor == medewerker
    assert response.redirect_chain[-1][0] == kind.get_absolute_url()
    assert any("mentor" in str(m) for m in response.context["messages"])
    assert Notification.objects.filter(recipient=ouder, url=kind.get_absolute_url()).count() == 1
    assert not Notification.objects.filter(recipient=manager).exists()
    last = kind.history.first()
    assert last.mentor_id == medewerker.pk and last.history_user == manager


def test_staff_of_the_group_assigns_and_a_repeat_changes_nothing(client, medewerker, ouder, kind):
    client.force_login(medewerker)
    client.post(url(kind), {"mentor": medewerker.pk})
    client.post(url(kind), {"mentor": medewerker.pk})  # a double submit
    kind.refresh_from_db()
    assert kind.mentor == medewerker
    assert Notification.objects.filter(recipient=ouder).count() == 1
    assert kind.history.filter(mentor=medewerker).count() == 1


def test_only_staff_of_the_childs_group_can_be_mentor(client, manager, kind, andere_groep, medewerker_elders):
    other = UserFactory()
    MembershipFactory(user=other, centre=kind.group.centre, role=Membership.Role.STAFF, groups=[andere_groep])
    client.force_login(manager)
    for outsider in (other, manager, medewerker_elders):
        response = client.post(url(kind), {"mentor": outsider.pk})
        assert response.status_code == 200
        assert response.context["form"].errors["mentor"]
    kind.refresh_from_db()
    assert kind.mentor is None
    kind.mentor = other
    with pytest.raises(ValidationError):
        kind.full_clean()


def test_hostile_input_gets_a_message(client, manager, kind):
    client.force_login(manager)
    response = client.post(url(kind), {"mentor": "'; drop table"})
    assert response.status_code == 200 and response.context["form"].errors["mentor"]


@pytest.mark.parametrize("name", ["ouder", "ouder_elders", "medewerker_elders", "manager_elders", "trainer"])
def test_parents_and_other_centres_get_404(client, request, name, kind, medewerker):
    person = request.getfixturevalue(name)
    client.force_login(person)
    assert client.get(url(kind)).status_code == 404
    assert client.post(url(kind), {"mentor": medewerker.pk}).status_code == 404
    kind.refresh_from_db()
    assert kind.mentor is None


def test_anonymous_goes_to_login(client, kind):
    response = client.get(url(kind))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unassigning_tells_the_parents(client, manager, medewerker, ouder, kind):
    kind.mentor = medewerker
    kind.save()
    client.force_login(manager)
    client.post(url(kind), {"mentor": ""})
    kind.refresh_from_db()
    assert kind.mentor is None
    assert Notification.objects.filter(recipient=ouder).count() == 1


def test_child_page_and_home_card_show_the_mentor(client, ouder, medewerker, kind):
    kind.mentor = medewerker
    kind.save()
    client.force_login(ouder)
    assert medewerker.name in client.get(kind.get_absolute_url()).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert medewerker.name in home
    assert url(kind) not in client.get(kind.get_absolute_url()).content.decode()  # parents do not choose


def test_history_page_shows_the_mentor_change(client, ouder, manager, medewerker, kind):
    client.force_login(manager)
    client.post(url(kind), {"mentor": medewerker.pk})
    client.force_login(ouder)
    page = client.get(reverse("children:child_profile_history", args=[kind.pk])).content.decode()
    assert medewerker.name in page


def test_group_overview_lists_children_without_mentor(client, medewerker, kind, kind_buur):
    kind_buur.mentor = medewerker
    kind_buur.save()
    client.force_login(medewerker)
    response = client.get(reverse("partnership:group_overview"))
    assert list(response.context["needing_mentor"]) == [kind]


def test_a_mentor_who_leaves_the_group_is_listed_for_reassignment(client, manager, medewerker, kind, andere_groep):
    kind.mentor = medewerker
    kind.save()
    assert not Child.objects.mentor_gone().exists()
    membership = medewerker.memberships.get()
    membership.groups.set([andere_groep])  # moved to another group
    assert list(Child.objects.mentor_gone()) == [kind]
    client.force_login(manager)
    page = client.get(reverse("children:centre_detail", args=[kind.group.centre_id]))
    assert kind in page.context["needing_mentor"]
    assert url(kind) in page.content.decode()
    membership.delete()  # left the centre
    assert list(Child.objects.mentor_gone()) == [kind]


def test_questions_about_own_mentor_children_come_first(client, medewerker, collega, groep, ouder, kind):
    from partnership.models import Observation

    other = ChildFactory(group=groep, first_name="Aaron")
    mine = ChildFactory(group=groep, first_name="Zoë", mentor=medewerker)
    parent = UserFactory()
    for child in (other, kind, mine):
        Observation.objects.create(child=child, author=parent, side="home", theme="other", text="?", is_question=True)
    client.force_login(medewerker)
    page = client.get(reverse("partnership:group_overview"))
    assert list(page.context["page"])[0] == mine
    client.force_login(collega)
    page = client.get(reverse("partnership:group_overview"))
    assert list(page.context["page"])[0] != mine
