"""Answering, planning, changing and cancelling an event: the model writes the reminder rows in the same
transaction, and the dispatcher is woken after the commit so they go out at once instead of within a minute.
"""

from ..tasks import dispatch_reminders


def wake_dispatcher():
    """Run the dispatcher right after the commit (a speed-up only: the minute beat sends the rows anyway)."""
    dispatch_reminders.delay_on_commit()


def respond(event, person, answer, party_size=1):
    rsvp = event.respond(person, answer, party_size)
    wake_dispatcher()  # a place may have come free for someone on the waiting list
    return rsvp


def invite_parents(event):
    invited = event.invite_parents()
    if invited:
        wake_dispatcher()
    return invited


def update_details(event, changed_fields):
    event.update_details(changed_fields)
    wake_dispatcher()


def cancel(event):
    cancelled = event.cancel()
    if cancelled:
        wake_dispatcher()
    return cancelled
