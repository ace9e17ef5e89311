"""Two parents booking the last free time at the same moment: real, concurrent transactions on Postgres."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from partnership.talks_services import TalkBookingError, book

from .talk_factories import TalkRoundFactory, TalkSlotFactory

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


def test_of_two_parents_booking_the_last_time_one_wins(groep, kind, kind_buur, ouder, ouder_buur, medewerker):
    talk_round = TalkRoundFactory(group=groep, created_by=medewerker)
    last = TalkSlotFactory(round=talk_round, starts_at=timezone.now() + timedelta(days=7))
    first_in, let_go = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            book(talk_round, ouder, {kind: last.pk})
            first_in.set()
            let_go.wait(10)  # the first booking's transaction is still open here

    first_thread, first_errors = in_thread(first)
    assert first_in.wait(10)
    second_thread, second_errors = in_thread(lambda: book(talk_round, ouder_buur, {kind_buur: last.pk}))
    second_thread.join(0.5)
    assert second_thread.is_alive(), "the second booking waits for the lock"
    let_go.set()
    first_thread.join(10)
    second_thread.join(10)

    assert first_errors == []
    assert len(second_errors) == 1 and isinstance(second_errors[0], TalkBookingError)
    assert "Someone else" in str(second_errors[0]) or "Iemand anders" in str(second_errors[0])
    last.refresh_from_db()
    assert last.child == kind and last.booked_by == ouder
