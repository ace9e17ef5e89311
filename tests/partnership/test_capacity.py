"""Capacity holds when parents answer at the same moment: real, concurrent transactions on Postgres."""

import threading

import pytest
from django.db import connection, transaction

from partnership.models import Rsvp
from tests.factories import GuardianshipFactory, UserFactory

from .event_factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def in_thread(target):
    errors = []

    def run():
        try:
            target()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_second_answer_waits_for_the_first_and_finds_the_event_full(ouder, ouder_buur, centrum):
    event = EventFactory(centre=centrum, capacity=1)
    first_in = threading.Event()
    let_go = threading.Event()

    def first():
        with transaction.atomic():
            event.respond(ouder, Rsvp.Answer.YES)
            first_in.set()
            let_go.wait(10)  # the first transaction is still open here

    first_thread, first_errors = in_thread(first)
    assert first_in.wait(10)
    second_thread, second_errors = in_thread(lambda: event.respond(ouder_buur, Rsvp.Answer.YES))
    second_thread.join(0.5)
    assert second_thread.is_alive(), "the second answer waits for the lock on the event"
    let_go.set()
    first_thread.join(10)
    second_thread.join(10)
    assert first_errors == second_errors == []

    assert Rsvp.objects.get(person=ouder).on_waiting_list is False
    assert Rsvp.objects.get(person=ouder_buur).on_waiting_list is True
    assert event.seats_taken() == 1


def test_many_parents_at_once_fill_exactly_the_capacity(centrum, kind):
    event = EventFactory(centre=centrum, capacity=3, bring_someone=True)
    parents = []
    for _ in range(8):
        parent = UserFactory()
        GuardianshipFactory(user=parent, child=kind)
        parents.append(parent)
    start = threading.Barrier(len(parents))

    def answer(parent):
        def run():
            start.wait(10)
            event.respond(parent, Rsvp.Answer.YES, party_size=1)

        return run

    threads = [in_thread(answer(parent)) for parent in parents]
    for thread, _errors in threads:
        thread.join(20)
    assert all(errors == [] for _thread, errors in threads)
    assert event.seats_taken() == 3
    assert Rsvp.objects.filter(event=event, on_waiting_list=True).count() == 5
