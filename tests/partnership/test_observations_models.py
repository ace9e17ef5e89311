"""Who sees which observations, replies, photos and tip outcomes; sides; the edit window; who is waiting."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from children.models import Child
from partnership.models import Observation, ObservationPhoto, Reply, Side, TipOutcome
from partnership.models.observations import children_with_activity, people_of_side, side_of
from tests.factories import GuardianshipFactory, MembershipFactory

from .factories import ObservationFactory, ObservationPhotoFactory, ReplyFactory, TipOutcomeFactory

SEES_KIND = {
    "ouder": True,
    "ouder_buur": False,
    "medewerker": True,
    "manager": True,
    "ouder_elders": False,
    "medewerker_elders": False,
    "manager_elders": False,
    "trainer": False,
}


@pytest.fixture
def thread(kind, ouder, medewerker):
    observation = ObservationFactory(child=kind, author=ouder, side=Side.HOME)
    tip = ReplyFactory(observation=observation, author=medewerker, side=Side.CENTRE, is_tip=True)
    outcome = TipOutcomeFactory(tip=tip, author=ouder)
    photo = ObservationPhotoFactory(observation=observation)
    return observation, tip, outcome, photo


def test_visibility_of_every_model_per_role(everyone, thread):
    observation, tip, outcome, photo = thread
    for name, user in everyone.items():
        expected = SEES_KIND[name]
        assert Observation.objects.visible_to(user).filter(pk=observation.pk).exists() is expected, name
        assert Reply.objects.visible_to(user).filter(pk=tip.pk).exists() is expected, name
        assert TipOutcome.objects.visible_to(user).filter(pk=outcome.pk).exists() is expected, name
        assert ObservationPhoto.objects.visible_to(user).filter(pk=photo.pk).exists() is expected, name


def test_anonymous_sees_nothing(thread):
    anonymous = AnonymousUser()
    assert not Observation.objects.visible_to(anonymous).exists()
    assert not Reply.objects.visible_to(anonymous).exists()
    assert not ObservationPhoto.objects.visible_to(anonymous).exists()
    assert not TipOutcome.objects.visible_to(anonymous).exists()


def test_staff_of_another_group_of_the_same_centre_sees_nothing(thread, andere_groep):
    other_staff = MembershipFactory(centre=andere_groep.centre, role="staff", groups=[andere_groep]).user
    assert not Observation.objects.visible_to(other_staff).exists()


def test_side_follows_the_relation_to_the_child(kind, ouder, medewerker, manager):
    assert side_of(ouder, kind) == Side.HOME
    assert side_of(medewerker, Child.objects.get(pk=kind.pk)) == Side.CENTRE
    assert side_of(manager, Child.objects.get(pk=kind.pk)) == Side.CENTRE


def test_staff_member_who_is_the_parent_writes_from_home(kind, medewerker):
    GuardianshipFactory(user=medewerker, child=kind)
    assert side_of(medewerker, Child.objects.get(pk=kind.pk)) == Side.HOME


def test_people_of_each_side(kind, ouder, medewerker, manager, ouder_buur, medewerker_elders):
    assert people_of_side(kind, Side.HOME) == [ouder]
    assert people_of_side(kind, Side.CENTRE) == [medewerker]


def test_managers_stand_in_when_the_group_has_no_staff(kind, ouder, manager):
    assert people_of_side(kind, Side.CENTRE) == [manager]


def test_edit_window_and_soft_delete(kind, ouder, medewerker):
    observation = ObservationFactory(child=kind, author=ouder)
    assert observation.can_edit(ouder)
    assert not observation.can_edit(medewerker)
    Observation.objects.filter(pk=observation.pk).update(created_at=timezone.now() - timedelta(hours=25))
    observation.refresh_from_db()
    assert not observation.can_edit(ouder)
    assert observation.can_delete(ouder)
    observation.soft_delete()
    assert Observation.objects.filter(pk=observation.pk).exists()
    assert not observation.can_delete(ouder)
    assert not observation.can_reply()


def test_tip_outcome_belongs_to_the_other_side(kind, medewerker):
    tip = ReplyFactory(observation__child=kind, author=medewerker, side=Side.CENTRE, is_tip=True)
    assert tip.can_record_outcome(Side.HOME)
    assert not tip.can_record_outcome(Side.CENTRE)
    plain = ReplyFactory(observation=tip.observation, author=medewerker, side=Side.CENTRE)
    assert not plain.can_record_outcome(Side.HOME)


def test_waiting_for_the_team(kind, kind_buur, ouder, ouder_buur, medewerker):
    waiting = ObservationFactory(child=kind, author=ouder, side=Side.HOME)
    question = ObservationFactory(child=kind, author=ouder, side=Side.HOME, is_question=True)
    answered = ObservationFactory(child=kind_buur, author=ouder_buur, side=Side.HOME)
    ReplyFactory(observation=answered, author=medewerker, side=Side.CENTRE)
    ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE)  # staff's own words wait for nobody
    parent_reply_only = ObservationFactory(child=kind_buur, author=ouder_buur, side=Side.HOME)
    ReplyFactory(observation=parent_reply_only, author=ouder_buur, side=Side.HOME)
    assert set(Observation.objects.awaiting_centre()) == {waiting, question, parent_reply_only}

    # "Seen" settles an observation, not a question.
    Observation.objects.filter(pk__in=[waiting.pk, question.pk]).update(seen_at=timezone.now())
    assert set(Observation.objects.awaiting_centre()) == {question, parent_reply_only}

    # A deleted staff reply does not count as an answer.
    reply = ReplyFactory(observation=question, author=medewerker, side=Side.CENTRE)
    assert question not in Observation.objects.awaiting_centre()
    reply.soft_delete()
    assert question in Observation.objects.awaiting_centre()


def test_children_with_activity_orders_the_longest_wait_first(kind, kind_buur, ouder, ouder_buur, medewerker):
    old = ObservationFactory(child=kind_buur, author=ouder_buur, side=Side.HOME, is_question=True)
    Observation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    ObservationFactory(child=kind, author=ouder, side=Side.HOME)
    rows = list(children_with_activity(Child.objects.filter(pk__in=[kind.pk, kind_buur.pk])))
    assert [row.pk for row in rows] == [kind_buur.pk, kind.pk]
    assert rows[0].waiting_questions == 1 and rows[0].waiting_observations == 0
    assert rows[1].waiting_count == 1 and rows[1].waiting_observations == 1
    assert rows[0].latest_observation_side == Side.HOME


def test_children_with_activity_without_any_activity(kind):
    row = children_with_activity(Child.objects.filter(pk=kind.pk)).get()
    assert row.waiting_count == 0
    assert row.latest_activity_at is None
