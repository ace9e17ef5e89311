"""Actions around the child's mentor, talks between parents and the mentor, and the handover to school.

Each action spans several rows or tells people something, so it lives here rather than on a model.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from children.models import Child, Guardianship
from notifications.services import notify

from .services import agreements as agreement_services


def assign_mentor(child, mentor, by):
    """Make `mentor` (or nobody) the child's mentor; the change is kept in the child's history and the
    parents are told. Returns False when nothing changed."""
    if child.mentor_id == (mentor.pk if mentor else None):
        return False
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        child.mentor = mentor
        child._history_user = by
        child.save()
        parents = [g.user for g in child.guardianships.select_related("user")]
        if mentor is not None:

            def message():
                return gettext("%(mentor)s is now the mentor of %(child)s.") % {
                    "mentor": mentor,
                    "child": child.first_name,
                }
        else:

            def message():
                return gettext("%(child)s has no mentor at the moment; the centre will choose a new one.") % {
                    "child": child.first_name
                }

        notify(parents, message, child.get_absolute_url(), exclude=by)
    return True


# Talks ---------------------------------------------------------------------------------------------------------


class TalkBookingError(Exception):
    """A booking that cannot be made: the slot was taken meanwhile, the deadline passed, or it is not theirs."""


NUDGE_BEFORE_DEADLINE = timedelta(days=2)
REMIND_BEFORE_TALK = timedelta(hours=24)


def open_round(*, centre, group, mentor, title, place, video_url, slot_minutes, booking_deadline, slots):
    """Open a round of talks: invite the group's current children (or the mentor's own mentor children),
    make its slots, and plan the nudge for parents who have not booked two days before the deadline."""
    from .models import TalkReminder, TalkRound, TalkSlot

    with transaction.atomic():
        talk_round = TalkRound.objects.create(
            centre=centre,
            group=group,
            created_by=mentor,
            title=title,
            place=place,
            video_url=video_url,
            slot_minutes=slot_minutes,
            booking_deadline=booking_deadline,
        )
        if group is not None:
            children = Child.objects.current().filter(group=group)
        else:
            children = Child.objects.current().mentored_by(mentor).filter(group__centre=centre)
        talk_round.children.set(children)
        TalkSlot.objects.bulk_create(TalkSlot(round=talk_round, starts_at=s, ends_at=e) for s, e in slots)
        nudge_at = booking_deadline - NUDGE_BEFORE_DEADLINE
        if nudge_at > timezone.now():
            parents = Guardianship.objects.filter(child__in=children, user__is_active=True).values_list(
                "user", flat=True
            )
            TalkReminder.objects.bulk_create(
                [
                    TalkReminder(round=talk_round, person_id=pk, kind=TalkReminder.Kind.NUDGE, due_at=nudge_at)
                    for pk in set(parents)
                ],
                ignore_conflicts=True,
            )
        parents = get_user_model().objects.filter(guardianships__child__in=children).distinct()

        def invitation():
            return gettext("You can book a talk with the mentor: %(title)s, before %(deadline)s.") % {
                "title": title,
                "deadline": formats.date_format(timezone.localtime(booking_deadline), "j F H:i"),
            }

        notify(parents, invitation, talk_round.get_absolute_url(), exclude=mentor)
    return talk_round


def bookable_children(talk_round, user):
    """The invited children of this parent."""
    return talk_round.children.filter(guardianships__user=user).order_by("first_name", "pk")


def book(talk_round, user, choices):
    """Book slots for children: `choices` maps child -> slot id. A child's earlier slot in the round is given
    up. The slots are locked, so of two parents booking the last slot at once one gets it and the other a
    TalkBookingError. Returns the booked slots."""
    from .models import TalkSlot

    if not choices:
        return []
    with transaction.atomic():
        talk_round = type(talk_round).objects.select_for_update().get(pk=talk_round.pk)
        if not talk_round.is_open:
            raise TalkBookingError(gettext("Booking for these talks has closed."))
        own = set(bookable_children(talk_round, user).values_list("pk", flat=True))
        if any(child.pk not in own for child in choices):
            raise TalkBookingError(gettext("You can only book for your own children."))
        slot_ids = [int(pk) for pk in choices.values()]
        if len(set(slot_ids)) != len(slot_ids):
            raise TalkBookingError(gettext("Choose a different time for each child."))
        slots = {
            s.pk: s
            for s in TalkSlot.objects.select_for_update().filter(round=talk_round, pk__in=slot_ids + [0]).order_by("pk")
        }
        previous = {
            s.child_id: s
            for s in TalkSlot.objects.select_for_update().filter(round=talk_round, child__in=[c.pk for c in choices])
        }
        now = timezone.now()
        for child, slot_id in choices.items():
            slot = slots.get(int(slot_id))
            if slot is None or slot.starts_at <= now:
                raise TalkBookingError(gettext("That time is not available."))
            if slot.child_id is not None and slot.child_id != child.pk and slot.child_id not in previous:
                raise TalkBookingError(
                    gettext("Someone else has just booked %(time)s. Please choose another time.")
                    % {"time": formats.time_format(timezone.localtime(slot.starts_at), "H:i")}
                )
        # Free the earlier slots first, so siblings may swap times in one step.
        for old in previous.values():
            _release(old)
        booked = []
        for child, slot_id in choices.items():
            slot = slots[int(slot_id)]
            slot.child, slot.booked_by, slot.booked_at = child, user, now
            slot.save(update_fields=["child", "booked_by", "booked_at"])
            _plan_reminders(slot)
            booked.append(slot)
    return booked


def cancel_booking(slot, user):
    from .models import TalkSlot

    with transaction.atomic():
        slot = TalkSlot.objects.select_for_update().select_related("round").get(pk=slot.pk)
        if not slot.round.is_open:
            raise TalkBookingError(gettext("Booking for these talks has closed; ask the mentor to change it."))
        if slot.child_id is None or not slot.child.guardianships.filter(user=user).exists():
            raise TalkBookingError(gettext("You can only cancel your own booking."))
        _release(slot)


def _release(slot):
    slot.reminders.filter(sent_at__isnull=True).delete()
    slot.child, slot.booked_by, slot.booked_at = None, None, None
    slot.save(update_fields=["child", "booked_by", "booked_at"])


def _plan_reminders(slot):
    """A reminder to the parents and the mentor the day before the talk (if that lies ahead)."""
    from .models import TalkReminder

    due = slot.starts_at - REMIND_BEFORE_TALK
    if due <= timezone.now():
        return
    people = set(Guardianship.objects.filter(child=slot.child, user__is_active=True).values_list("user", flat=True))
    if slot.round.created_by_id:
        people.add(slot.round.created_by_id)
    for pk in people:
        TalkReminder.objects.update_or_create(
            slot=slot,
            person_id=pk,
            kind=TalkReminder.Kind.BEFORE,
            defaults={"round": slot.round, "due_at": due, "sent_at": None},
        )


def talk_reminder_wanted(reminder):
    from .models import TalkReminder

    if not reminder.person.is_active:
        return False
    if reminder.kind == TalkReminder.Kind.NUDGE:
        talk_round = reminder.round
        return talk_round.is_open and (
            bookable_children(talk_round, reminder.person).exclude(talk_slots__round=talk_round).exists()
        )
    slot = reminder.slot
    return slot is not None and slot.child_id is not None and slot.starts_at > timezone.now()


def send_talk_reminder(reminder):
    """Deliver one talk reminder (run by the dispatcher, inside its transaction). False when no longer wanted."""
    from .models import TalkReminder

    if not talk_reminder_wanted(reminder):
        return False
    talk_round = reminder.round
    if reminder.kind == TalkReminder.Kind.NUDGE:

        def message():
            return gettext("Book a talk about your child before %(deadline)s: %(title)s.") % {
                "deadline": formats.date_format(timezone.localtime(talk_round.booking_deadline), "j F H:i"),
                "title": talk_round.title,
            }
    else:
        slot = reminder.slot

        def message():
            return gettext("Reminder: talk about %(child)s on %(when)s, %(place)s.") % {
                "child": slot.child.first_name,
                "when": formats.date_format(timezone.localtime(slot.starts_at), "l j F H:i"),
                "place": talk_round.where or "–",
            }

    notify([reminder.person], message, talk_round.get_absolute_url())
    return True


def dispatch_talk_reminders(now=None, batch_size=50):
    from common.dispatch import dispatch_due

    from .models import TalkReminder

    return dispatch_due(TalkReminder.objects.due(now), send_talk_reminder, batch_size=batch_size)


# Preparing the talk and keeping what was said -------------------------------------------------------------------


def holds_talk(user, slot):
    """The mentor of this talk: opened the round or mentors the child, and still cares for the child."""
    if not user.is_authenticated or slot.child_id is None:
        return False
    if user.pk not in (slot.round.created_by_id, slot.child.mentor_id):
        return False
    return Child.objects.cared_for_by(user).filter(pk=slot.child_id).exists()


def save_preparation(slot, user, answers):
    from .models import TalkPreparation

    with transaction.atomic():
        preparation, _created = TalkPreparation.objects.select_for_update().get_or_create(
            round=slot.round, child=slot.child
        )
        for name in TalkPreparation.PROMPTS:
            setattr(preparation, name, answers.get(name, ""))
        preparation.updated_by = user
        preparation.save()
        mentor = slot.child.mentor or slot.round.created_by
        if mentor is not None:
            notify(
                [mentor],
                lambda: gettext("The parents of %(child)s have prepared the talk.") % {"child": slot.child.first_name},
                reverse("partnership:talk_detail", args=[slot.pk]),
                exclude=user,
            )
    return preparation


def report_for(slot):
    from .models import TalkReport

    report, _created = TalkReport.objects.get_or_create(round=slot.round, child=slot.child)
    return report


def pick_observations(slot, user, observations):
    with transaction.atomic():
        report = report_for(slot)
        report.observations.set(observations)
    return report


def write_report(slot, user, text, publish, agreement=None):
    """Save the mentor's report; when shared, the parents are told. An agreement made in the talk becomes a
    child agreement linked to it, proposed by the centre for the parents to confirm."""
    from .models import ChildAgreement

    with transaction.atomic():
        report = report_for(slot)
        first_share = publish and report.published_at is None
        report.text = text
        report.written_by = user
        if publish and report.published_at is None:
            report.published_at = timezone.now()
        report.save()
        url = reverse("partnership:talk_detail", args=[slot.pk])
        if agreement is not None:
            agreement.child = slot.child
            agreement.talk = report
            agreement_services.propose(agreement, user, ChildAgreement.Side.CENTRE)
        if first_share:
            parents = [g.user for g in slot.child.guardianships.select_related("user")]
            notify(
                parents,
                lambda: (
                    gettext("The report of the talk about %(child)s is ready to read.")
                    % {"child": slot.child.first_name}
                ),
                url,
                exclude=user,
            )
    return report


def react_to_report(report, slot, user, text):
    from .models import TalkReaction

    with transaction.atomic():
        reaction = TalkReaction.objects.create(report=report, author=user, text=text)
        mentor = report.written_by or slot.round.created_by
        if mentor is not None:
            notify(
                [mentor],
                lambda: gettext("A parent of %(child)s reacted to the talk report.") % {"child": slot.child.first_name},
                reverse("partnership:talk_detail", args=[slot.pk]),
                exclude=user,
            )
    return reaction


# The handover to school -----------------------------------------------------------------------------------------

HANDOVER_LINK_DAYS = 14


def may_draft_handover(user, child):
    """The child's mentor, or a manager of its centre when the child has none, while they care for the child."""
    if not Child.objects.cared_for_by(user).filter(pk=child.pk).exists():
        return False
    from children.models import Centre

    return child.mentor_id == user.pk or Centre.objects.managed_by(user).filter(pk=child.group.centre_id).exists()


def save_handover_draft(handover, user, changed):
    """Save the mentor's text. A change after the parents answered asks them again: they consented to what
    they read, not to what it says now."""
    from .models import Handover

    with transaction.atomic():
        if changed and handover.status in (Handover.Status.CONSENTED, Handover.Status.REFUSED):
            handover.status = Handover.Status.AWAITING
            handover.consent_by, handover.consent_at = None, None
            _tell_parents(
                handover,
                user,
                lambda: (
                    gettext("The handover to school of %(child)s has changed; please read it again.")
                    % {"child": handover.child.first_name}
                ),
            )
        handover.mentor = handover.mentor or user
        handover._history_user = user
        handover.save()
    return handover


def share_handover_with_parents(handover, user):
    from .models import Handover

    with transaction.atomic():
        handover.status = Handover.Status.AWAITING
        handover._history_user = user
        handover.save(update_fields=["status", "updated_at"])
        _tell_parents(
            handover,
            user,
            lambda: (
                gettext("The handover to school of %(child)s is ready for you to read.")
                % {"child": handover.child.first_name}
            ),
        )


def _tell_parents(handover, user, message):
    parents = [g.user for g in handover.child.guardianships.select_related("user")]
    notify(parents, message, handover.get_absolute_url(), exclude=user)


def _tell_mentor(handover, user, message):
    if handover.mentor is not None:
        notify([handover.mentor], message, handover.get_absolute_url(), exclude=user)


def save_parent_view(handover, user, text):
    with transaction.atomic():
        handover.parent_view = text
        handover.parent_view_by = user
        handover._history_user = user
        handover.save(update_fields=["parent_view", "parent_view_by", "updated_at"])
        _tell_mentor(
            handover,
            user,
            lambda: (
                gettext("The parents of %(child)s added their view to the handover.")
                % {"child": handover.child.first_name}
            ),
        )


def answer_handover_consent(handover, user, agree):
    """Give, refuse or withdraw consent; possible until the document has been sent."""
    from .models import Handover

    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        if not handover.consent_may_change:
            return None
        handover.status = Handover.Status.CONSENTED if agree else Handover.Status.REFUSED
        handover.consent_by, handover.consent_at = user, timezone.now()
        handover._history_user = user
        handover.save(update_fields=["status", "consent_by", "consent_at", "updated_at"])
        if agree:

            def message():
                return gettext("The parents of %(child)s agree to share the handover with the school.") % {
                    "child": handover.child.first_name
                }
        else:

            def message():
                return gettext("The parents of %(child)s do not want the handover shared with the school.") % {
                    "child": handover.child.first_name
                }

        _tell_mentor(handover, user, message)
    return handover


def send_handover(handover, user, *, school_name, contact_name, contact_email, language):
    """With the parents' consent: make a link for the school contact and mail it. Returns the link, or None
    when consent is missing. The token exists only in the mail; the database keeps its hash."""
    import secrets

    from common.mail import send_mail

    from .models import Handover, HandoverLink
    from .models.handover import hash_token

    with transaction.atomic():
        handover = Handover.objects.select_for_update().select_related("child").get(pk=handover.pk)
        if not handover.may_be_sent:
            return None
        token = secrets.token_urlsafe(32)
        link = HandoverLink.objects.create(
            handover=handover,
            token_hash=hash_token(token),
            contact_name=contact_name,
            contact_email=contact_email,
            created_by=user,
            expires_at=timezone.now() + timedelta(days=HANDOVER_LINK_DAYS),
        )
        handover.status = Handover.Status.SENT
        handover.school_name = school_name
        handover.sent_at = timezone.now()
        handover._history_user = user
        handover.save(update_fields=["status", "school_name", "sent_at", "updated_at"])
        context = {
            "child": handover.child,
            "centre": handover.child.group.centre,
            "contact_name": contact_name,
            "school_name": school_name,
            "url": reverse("partnership:handover_for_school", args=[token]),
            "expires_at": link.expires_at,
        }
        # Sent within the transaction: if the mail server refuses, nothing is recorded as sent.
        send_mail(contact_email, "partnership/talks/email/handover_link", context, language=language)
        _tell_parents(
            handover,
            user,
            lambda: (
                gettext("The handover of %(child)s has been sent to %(school)s.")
                % {"child": handover.child.first_name, "school": school_name}
            ),
        )
    return link


def revoke_handover_link(link, user):
    with transaction.atomic():
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def log_handover_access(child, user, what):
    """Every open by the school and every download goes into the child's access log, which the parents read."""
    from children.models import AccessLog

    AccessLog.objects.create(child=child, user=user if user and user.is_authenticated else None, what=what)
