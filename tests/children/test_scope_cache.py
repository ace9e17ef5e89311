"""Who-sees-what worked out once per request (children.scope): the same answers as the full rule, and a
change to memberships or guardianships during the request is seen by the next scoped query."""

import pytest
from django.contrib.auth.models import AnonymousUser

from children import scope
from children.models import Child, Group
from partnership.models import GroupMoment, MomentPhoto, Observation
from tests.factories import ChildFactory, GuardianshipFactory, MembershipFactory


def cached(user):
    """The user object as a request's user: it remembers its scope."""
    scope.enable(user)
    return user


def uncached(user):
    user.__dict__.pop(scope.ATTRIBUTE, None)
    return user


@pytest.fixture
def people(ouder, medewerker, manager, trainer, ouder_elders, medewerker_elders, manager_elders):
    return [ouder, medewerker, manager, trainer, ouder_elders, medewerker_elders, manager_elders]


def test_cached_scopes_give_the_same_answers_as_the_full_rule(people, kind, kind_buur, kind_elders, andere_groep):
    ChildFactory(group=andere_groep)
    for user in people:
        expected = {
            "visible": set(Child.objects.visible_to(uncached(user))),
            "readable": set(Child.objects.readable_by(user)),
            "cared": set(Child.objects.cared_for_by(user)),
            "groups": set(Group.objects.worked_on_by(user)),
            "observations": set(Observation.objects.visible_to(user)),
            "moments": set(GroupMoment.objects.visible_to(user)),
            "photos": set(MomentPhoto.objects.visible_to(user)),
        }
        cached(user)
        assert scope.cached_scope(user) is None, "the first scope of a request builds the subquery"
        assert scope.cached_scope(user) is not None
        assert set(Child.objects.visible_to(user)) == expected["visible"], user
        assert set(Child.objects.readable_by(user)) == expected["readable"], user
        assert set(Child.objects.cared_for_by(user)) == expected["cared"], user
        assert set(Group.objects.worked_on_by(user)) == expected["groups"], user
        assert set(Observation.objects.visible_to(user)) == expected["observations"], user
        assert set(GroupMoment.objects.visible_to(user)) == expected["moments"], user
        assert set(MomentPhoto.objects.visible_to(user)) == expected["photos"], user
        uncached(user)


def test_the_scope_is_read_once_and_again_after_a_change(django_assert_num_queries, ouder, kind, kind_elders):
    cached(ouder)
    with django_assert_num_queries(1):  # the first scope of a request: the subquery, no extra query
        assert set(Child.objects.visible_to(ouder)) == {kind}
    with django_assert_num_queries(2):  # the second: the ids, then the children
        assert set(Child.objects.visible_to(ouder)) == {kind}
    with django_assert_num_queries(1):  # from then on: the children only
        assert set(Child.objects.readable_by(ouder)) == {kind}
    GuardianshipFactory(user=ouder, child=kind_elders)  # e.g. an invitation accepted in this request
    assert set(Child.objects.visible_to(ouder)) == {kind, kind_elders}


def test_a_new_membership_is_seen_in_the_same_request(medewerker, kind, groep_elders, kind_elders):
    cached(medewerker)
    assert kind_elders not in Child.objects.visible_to(medewerker)
    membership = MembershipFactory(user=medewerker, centre=groep_elders.centre)
    membership.groups.add(groep_elders)
    assert kind_elders in Child.objects.visible_to(medewerker)


def test_anonymous_and_objects_outside_a_request_are_not_cached(medewerker, kind):
    anonymous = AnonymousUser()
    scope.enable(anonymous)
    assert not Child.objects.visible_to(anonymous).exists()
    assert scope.cached_scope(uncached(medewerker)) is None


def test_a_request_caches_the_scope_of_its_own_user_only(client, medewerker, kind):
    client.force_login(medewerker)
    response = client.get(kind.get_absolute_url())
    assert response.status_code == 200
    assert scope.ATTRIBUTE not in medewerker.__dict__, "the fixture's user object is not the request's"
    assert getattr(response.wsgi_request.user, scope.ATTRIBUTE)["scope"].group_ids == (kind.group_id,)


def test_a_page_that_scopes_once_costs_no_extra_query(client, ouder, kind):
    client.force_login(ouder)
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert "scope" not in getattr(response.wsgi_request.user, scope.ATTRIBUTE)


def test_sees_and_cares_for_agree_with_the_scopes(people, kind, kind_elders):
    for user in people:
        for child in (kind, kind_elders):
            expected = (
                Child.objects.visible_to(uncached(user)).filter(pk=child.pk).exists(),
                Child.objects.cared_for_by(user).filter(pk=child.pk).exists(),
            )
            assert (scope.sees(user, child), scope.cares_for(user, child)) == expected
            cached(user)
            scope.cached_scope(user)  # the first use of the request
            assert (scope.sees(user, child), scope.cares_for(user, child)) == expected
            uncached(user)
