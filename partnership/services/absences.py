"""Reporting and withdrawing absences: the row, the late mark and telling the other side, in one transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from notifications.services import notify

from ..models.absences import Absence
from ..models.observations import Side, other_side, people_of_side, side_of
from ..models.team import TeamSettings


def _author_name(user):
    return str(user) if user else gettext("Someone")


def report_absence(form, child, author):
    """Save a valid AbsenceForm for `child`. Returns (absence, created); a double submit creates one row."""
    side = side_of(author, child)
    team = TeamSettings.objects.for_centre(child.group.centre)

    def save(token):
        absence = form.save(commit=False)
        absence.child, absence.author, absence.side = child, author, side
        absence.submission_token = token
        absence.is_late = side == Side.HOME and team.is_late_absence(absence.first_day)
        absence.save()
        _notify_absence(absence)
        return absence

    return form.save_once(Absence, author, save)


def withdraw_absence(absence, user):
    """Take back an absence that has not ended (the child is better after all). Returns True when done."""
    with transaction.atomic():
        absence = Absence.objects.select_for_update().select_related("child__group").get(pk=absence.pk)
        if not absence.can_withdraw():
            return False
        absence.withdrawn_at = timezone.now()
        absence.save(update_fields=["withdrawn_at"])
        _notify_absence(absence, by=user, withdrawn=True)
    return True


def _notify_absence(absence, by=None, withdrawn=False):
    """Tell the other side: the group's staff when a parent reports, the parents when staff record it.

    The message names the child and the days, never the note.
    """
    actor = by or absence.author
    child = absence.child
    actor_side = side_of(actor, child) if actor else absence.side

    def message():
        params = {
            "author": _author_name(actor),
            "child": child.first_name,
            "days": _days_text(absence),
        }
        if withdrawn:
            return gettext("%(author)s withdrew the absence of %(child)s (%(days)s).") % params
        if absence.reason == Absence.Reason.ILL:
            return gettext("%(author)s reported %(child)s ill: %(days)s.") % params
        return gettext("%(author)s reported %(child)s absent: %(days)s.") % params

    recipients = people_of_side(child, other_side(actor_side))
    notify(recipients, message, absence.get_absolute_url(), exclude=actor)


def _days_text(absence):
    from django.utils import formats

    first = formats.date_format(absence.first_day, "WEEKDAY_DATE_FORMAT")
    if absence.first_day == absence.last_day:
        return first
    return gettext("%(first)s to %(last)s") % {
        "first": first,
        "last": formats.date_format(absence.last_day, "WEEKDAY_DATE_FORMAT"),
    }
