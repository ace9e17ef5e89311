"""Agreements between home and centre: proposing, accepting and ending one, and telling the other side."""

from django.db import transaction
from django.utils.translation import gettext as _

from notifications.services import notify

from ..models.agreements import ChildAgreement


def propose(agreement, user, side):
    """Save `agreement` as a proposal of `side` (a new one, or a suggested change) and tell the other side."""
    with transaction.atomic():
        agreement.propose(user, side)
        other = ChildAgreement.Side.CENTRE if side == ChildAgreement.Side.HOME else ChildAgreement.Side.HOME
        notify(
            agreement.people_of(other),
            lambda: (
                _("A proposal for %(child)s to look at: %(title)s")
                % {"child": agreement.child.first_name, "title": agreement.title}
            ),
            agreement.get_absolute_url(),
            exclude=user,
        )
    return agreement


def accept(agreement, user, version):
    """Accept the proposal in `version`, the one the person was shown, and tell the side that proposed it.

    Raises VersionConflict (with the agreement as it is now) when it changed in between.
    """
    with transaction.atomic():
        agreement.accept(user, version)
        notify(
            agreement.people_of(agreement.proposed_side),
            lambda: (
                _("Agreed for %(child)s: %(title)s") % {"child": agreement.child.first_name, "title": agreement.title}
            ),
            agreement.get_absolute_url(),
            exclude=user,
        )


def end(agreement, user):
    """End the agreement (it stays in the history) and tell both sides."""
    with transaction.atomic():
        agreement.end()
        notify(
            agreement.everyone(),
            lambda: (
                _("The agreement %(title)s for %(child)s has ended.")
                % {"child": agreement.child.first_name, "title": agreement.title}
            ),
            agreement.get_absolute_url(),
            exclude=user,
        )


def send_review_reminder(agreement):
    """Remind both sides that it is time to look at the agreement again (run by the dispatcher)."""
    notify(
        agreement.everyone(),
        lambda: (
            _("Time to look again at the agreement for %(child)s: %(title)s")
            % {"child": agreement.child.first_name, "title": agreement.title}
        ),
        agreement.get_absolute_url(),
    )
