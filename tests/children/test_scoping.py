"""Who sees which children and centres: the rule the product stands on."""

from children.models import Centre, Child, Group, roles_of


def visible_children(user):
    return set(Child.objects.visible_to(user))


def test_parent_sees_only_own_children(ouder, kind, kind_buur, kind_elders):
    assert visible_children(ouder) == {kind}


def test_staff_see_children_of_their_groups_only(medewerker, kind, kind_buur, andere_groep, kind_elders):
    from tests.factories import ChildFactory

    child_of_other_group = ChildFactory(group=andere_groep)
    assert visible_children(medewerker) == {kind, kind_buur}
    assert child_of_other_group not in visible_children(medewerker)


def test_manager_sees_all_children_of_their_centre(manager, kind, kind_buur, andere_groep, kind_elders):
    from tests.factories import ChildFactory

    child_of_other_group = ChildFactory(group=andere_groep)
    assert visible_children(manager) == {kind, kind_buur, child_of_other_group}


def test_other_centre_sees_nothing_of_centre_one(medewerker_elders, manager_elders, ouder_elders, kind, kind_elders):
    for user in (medewerker_elders, manager_elders, ouder_elders):
        assert kind not in visible_children(user)
        assert kind_elders in visible_children(user)


def test_trainer_sees_no_child_and_no_centre(trainer, kind, kind_elders):
    assert visible_children(trainer) == set()
    assert not Centre.objects.visible_to(trainer).exists()
    assert not Group.objects.visible_to(trainer).exists()


def test_staff_who_is_also_a_parent_sees_both(medewerker, kind, kind_elders):
    from tests.factories import GuardianshipFactory

    GuardianshipFactory(user=medewerker, child=kind_elders)
    assert {kind, kind_elders} <= visible_children(medewerker)
    assert roles_of(medewerker) == {"staff", "parent"}


def test_centres_visible_per_role(ouder, medewerker, manager, ouder_elders, centrum, centrum_elders):
    assert set(Centre.objects.visible_to(ouder)) == {centrum}
    assert set(Centre.objects.visible_to(medewerker)) == {centrum}
    assert set(Centre.objects.visible_to(manager)) == {centrum}
    assert set(Centre.objects.managed_by(manager)) == {centrum}
    assert not Centre.objects.managed_by(medewerker).exists()
    assert set(Centre.objects.visible_to(ouder_elders)) == {centrum_elders}


def test_no_duplicates_for_a_child_seen_through_several_paths(manager, medewerker, kind, groep):
    from tests.factories import GuardianshipFactory, MembershipFactory

    MembershipFactory(user=manager, centre=groep.centre, role="staff", groups=[groep])
    GuardianshipFactory(user=manager, child=kind)
    assert list(Child.objects.visible_to(manager)).count(kind) == 1


def test_anonymous_sees_nothing(kind, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Child.objects.visible_to(AnonymousUser()).exists()
