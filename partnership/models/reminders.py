"""Event reminders as rows: one per (event, person, kind), written in the same transaction as the change
that calls for it, and sent by `partnership.tasks.dispatch_reminders` through `common.dispatch`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ReminderQuerySet(models.QuerySet):
    def due(self, now=None):
        """Unsent rows whose time has come, of events that have not started yet, and not given up."""
        now = now or timezone.now()
        return (
            self.filter(due_at__lte=now, sent_at__isnull=True, event__starts_at__gt=now)
            .exclude(failed_at__gte=F("due_at"))
            .select_related("event", "person")
        )

    def given_up(self):
        """Unsent rows that could not be delivered (a lasting error, or failing try after try), for the event's
        organisers to see. A row planned again later (a new change) is tried again."""
        return self.filter(sent_at__isnull=True, failed_at__gte=F("due_at"))

    def forget_started(self, now=None):
        """Drop unsent rows of events that have started: too late to remind anyone."""
        now = now or timezone.now()
        return self.filter(sent_at__isnull=True, event__starts_at__lte=now).delete()[0]

    def plan_for(self, rsvp):
        """Bring one person's reminders in line with their answer. Call in the answer's transaction."""
        self.filter(event=rsvp.event_id, person=rsvp.person_id, kind=Reminder.Kind.NUDGE, sent_at__isnull=True).delete()
        self._sync(rsvp.event, [rsvp.person_id] if rsvp.attends else [], only=[rsvp.person_id], rearm=False)

    def reschedule(self, event):
        """After an edit of the time or the reminder settings: move, add or drop the event's reminders.

        Reminders already sent are planned again when their new time lies ahead (the event moved later).
        Unsent nudges are dropped; they are created again when their new time has come.
        """
        answer = event.rsvps.model.Answer  # Rsvp: events.py imports this module
        attending = event.rsvps.filter(answer__in=[answer.YES, answer.MAYBE], on_waiting_list=False).values_list(
            "person", flat=True
        )
        self._sync(event, list(attending), only=None, rearm=True)
        self.filter(event=event, kind=Reminder.Kind.NUDGE, sent_at__isnull=True).delete()

    def _sync(self, event, attending, only, rearm):
        now = timezone.now()
        plan = {}
        for kind, hours in (
            (Reminder.Kind.FIRST, event.first_reminder_hours),
            (Reminder.Kind.SECOND, event.second_reminder_hours),
        ):
            if hours is not None and event.starts_at - timedelta(hours=hours) > now:
                plan[kind] = event.starts_at - timedelta(hours=hours)
        rows = self.filter(event=event, kind__in=[Reminder.Kind.FIRST, Reminder.Kind.SECOND])
        if only is not None:
            rows = rows.filter(person__in=only)
        existing = {(row.person_id, row.kind): row for row in rows}
        to_create, to_update = [], []
        for person_id in attending:
            for kind, due in plan.items():
                row = existing.pop((person_id, kind), None)
                if row is None:
                    to_create.append(Reminder(event=event, person_id=person_id, kind=kind, due_at=due))
                elif row.due_at != due and (row.sent_at is None or rearm):
                    row.due_at, row.sent_at = due, None
                    to_update.append(row)
        to_delete = [row.pk for row in existing.values() if row.sent_at is None]
        self.filter(pk__in=to_delete).delete()
        self.bulk_update(to_update, ["due_at", "sent_at"])
        self.bulk_create(to_create, ignore_conflicts=True)

    def withdraw(self, event):
        """Drop every unsent reminder of an event (it was cancelled)."""
        return self.filter(event=event, sent_at__isnull=True).delete()[0]

    def announce(self, event, person_ids, kind):
        """Tell these people something about the event now (a change, the cancellation, a free place).

        A new announcement of the same kind replaces one that was not sent yet, and re-arms one that was.
        The rows go out with the next run of the dispatcher; `partnership.services.events` wakes it at once.
        """
        now = timezone.now()
        rows = [Reminder(event=event, person_id=pk, kind=kind, due_at=now) for pk in set(person_ids)]
        if kind == Reminder.Kind.CANCELLED:
            self.filter(event=event, kind=Reminder.Kind.CHANGED, sent_at__isnull=True).delete()
        self.bulk_create(
            rows, update_conflicts=True, unique_fields=["event", "person", "kind"], update_fields=["due_at", "sent_at"]
        )

    def invite(self, event):
        """Tell the invited parents who were not told yet and have not answered that the event is planned.

        Called when an event is planned and when a change invites more parents (other groups, other dates);
        each parent is invited once per event. Delivered by the dispatcher, by each person's preference.
        """
        told = Reminder.objects.filter(event=event, person=OuterRef("pk"), kind=Reminder.Kind.INVITED)
        people = event.invited_parents().exclude(rsvps__event=event).exclude(Exists(told)).values_list("pk", flat=True)
        now = timezone.now()
        rows = [Reminder(event=event, person_id=pk, kind=Reminder.Kind.INVITED, due_at=now) for pk in people]
        created = self.bulk_create(rows, ignore_conflicts=True)
        return len(created)

    def top_up_nudges(self, now=None):
        """Create the nudge for invited parents who have not answered, for events whose nudge time has come.

        Done when the nudge is due rather than when the event is made, so parents who joined since (the new
        parents of a welcome coffee morning) are asked too. The unique constraint makes reruns harmless.
        """
        now = now or timezone.now()
        created = 0
        events = self.model._meta.get_field("event").related_model.objects  # events.py imports this module
        for event in events.filter(cancelled_at__isnull=True, nudge_at__lte=now, starts_at__gt=now):
            nudged = Reminder.objects.filter(event=event, person=OuterRef("pk"), kind=Reminder.Kind.NUDGE)
            people = (
                event.invited_parents().exclude(rsvps__event=event).exclude(Exists(nudged)).values_list("pk", flat=True)
            )
            rows = [
                Reminder(event=event, person_id=pk, kind=Reminder.Kind.NUDGE, due_at=event.nudge_at) for pk in people
            ]
            created += len(self.bulk_create(rows, ignore_conflicts=True))
        return created


class Reminder(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", _("First reminder")
        SECOND = "second", _("Second reminder")
        NUDGE = "nudge", _("Request for an answer")
        CHANGED = "changed", _("Change of time or place")
        CANCELLED = "cancelled", _("Cancellation")
        MOVED_UP = "moved_up", _("Place from the waiting list")
        INVITED = "invited", _("Invitation")

    event = models.ForeignKey("partnership.Event", on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Delivery failures: a row that fails for a lasting reason, or try after try, is given up (failed_at) and
    # shown to the organisers instead of blocking the dispatcher forever.
    attempts = models.PositiveSmallIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "person", "kind"], name="unique_reminder")]
        indexes = [models.Index(fields=["due_at"], condition=models.Q(sent_at__isnull=True), name="reminder_unsent")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.event} – {self.person}"

    def is_wanted(self):
        """Whether this reminder still makes sense now (the answer or the event may have changed)."""
        event, person = self.event, self.person
        if not person.is_active or event.has_started:
            return False
        if self.kind == self.Kind.CANCELLED:
            return event.is_cancelled
        if event.is_cancelled:
            return False
        rsvp = event.rsvps.filter(person=person).first()
        if self.kind in (self.Kind.NUDGE, self.Kind.INVITED):
            return rsvp is None and event.invited_parents().filter(pk=person.pk).exists()
        if self.kind == self.Kind.CHANGED:
            return rsvp is not None or event.invited_parents().filter(pk=person.pk).exists()
        return rsvp is not None and rsvp.attends

    def message(self):
        """The one-line text, in the active language."""
        event = self.event
        values = {"title": event.title, "when": when(event), "place": event.location or "–"}
        texts = {
            self.Kind.FIRST: gettext("Reminder: %(title)s, %(when)s."),
            self.Kind.SECOND: gettext("Soon: %(title)s, %(when)s."),
            self.Kind.NUDGE: gettext("Will you come to %(title)s on %(when)s? Let us know."),
            self.Kind.CHANGED: gettext("%(title)s has changed: now %(when)s, place: %(place)s."),
            self.Kind.CANCELLED: gettext("%(title)s on %(when)s has been cancelled."),
            self.Kind.MOVED_UP: gettext("A place has come free for you: %(title)s, %(when)s."),
            self.Kind.INVITED: gettext("You are invited: %(title)s, %(when)s. Will you come?"),
        }
        return texts[self.kind] % values


def when(event):
    start = timezone.localtime(event.starts_at)
    return formats.date_format(start, "l j F Y, H:i")
