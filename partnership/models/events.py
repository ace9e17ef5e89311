"""Events where parents and staff meet: parent evenings, coffee mornings, theme meetings, workshops, lectures.

Who is invited: the parents of the current children of the event's centre, or of the chosen groups, and for a
"new parents" event only those whose child starts within some weeks of the event. Staff and managers see all
events of the centres they work at. Answers (`Rsvp`) never exceed the capacity: every change of an answer locks
the event row first, so two parents answering at the same moment are served one after the other.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from children.models import Centre, Child, Group
from common.concurrency import version_field

from .reminders import Reminder

MAX_PARTY_SIZE = 4
MAX_REMINDER_HOURS = 60 * 24  # sixty days


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events of the centres the user works at, and events the user is invited to as a parent."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(centre__in=Centre.objects.worked_at_by(user)) | Q(Exists(_invited_children_of(user))))

    def managed_by(self, user):
        """Events staff and managers of the centre may edit, cancel and see the attendees of."""
        return self.filter(centre__in=Centre.objects.worked_at_by(user))

    def invited(self, user):
        """Events that invite `user` as a parent (whatever else they are)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Exists(_invited_children_of(user)))

    def with_role_of(self, user):
        """Annotate `i_am_invited` (as a parent) and `i_organise` (staff or manager of its centre)."""
        if not user.is_authenticated:
            return self.annotate(i_am_invited=models.Value(False), i_organise=models.Value(False))
        return self.annotate(
            i_am_invited=Exists(_invited_children_of(user)),
            i_organise=Exists(Centre.objects.worked_at_by(user).filter(pk=OuterRef("centre"))),
        )

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now())

    def with_counts(self):
        """Annotate `seats_taken` (people confirmed) without a query per event."""
        taken = (
            Rsvp.objects.filter(event=OuterRef("pk"), answer=Rsvp.Answer.YES, on_waiting_list=False)
            .values("event")
            .annotate(total=Sum("party_size"))
            .values("total")
        )
        return self.annotate(seats_taken=Coalesce(Subquery(taken), 0))

    def with_answer_of(self, user):
        """Annotate `my_answer` and `my_waiting` of `user` (None when they have not answered)."""
        mine = Rsvp.objects.filter(event=OuterRef("pk"), person=user)
        return self.annotate(
            my_answer=Subquery(mine.values("answer")[:1]), my_waiting=Subquery(mine.values("on_waiting_list")[:1])
        )


def _invited_children_of(user):
    """Current children of `user` who make them invited to the event in OuterRef: the one invitation rule."""
    return Child.objects.current().filter(guardianships__user=user).filter(_invites_child())


def _invites_child():
    """A Q on Child, relative to an Event in OuterRef, that holds when the event invites that child's parents."""
    in_centre = Q(group__centre=OuterRef("centre"))
    no_groups_chosen = ~Exists(Event.groups.through.objects.filter(event=OuterRef(OuterRef("pk"))))
    in_groups = Q(no_groups_chosen) | Q(group__events=OuterRef("pk"))
    newcomer = Q(Exact(OuterRef("for_new_parents"), False)) | Q(
        start_date__gte=OuterRef("newcomers_from"), start_date__lte=OuterRef("newcomers_until")
    )
    return in_centre & in_groups & newcomer


class Event(models.Model):
    class Kind(models.TextChoices):
        PARENT_EVENING = "parent_evening", _("Parent evening")
        COFFEE_MORNING = "coffee_morning", _("Coffee morning")
        THEME_MEETING = "theme_meeting", _("Theme meeting")
        WORKSHOP = "workshop", _("Workshop")
        LECTURE = "lecture", _("Lecture")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="events", verbose_name=_("centre"))
    groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="events",
        verbose_name=_("groups"),
        help_text=_("Leave empty to invite the parents of the whole centre."),
    )
    for_new_parents = models.BooleanField(
        _("only for new parents"),
        default=False,
        help_text=_("Invite only the parents of children who start around the date of the event."),
    )
    new_parents_weeks = models.PositiveSmallIntegerField(
        _("weeks around the event"),
        default=6,
        validators=[MaxValueValidator(52)],
        help_text=_("For new parents: children who start at most this many weeks before or after the event."),
    )
    newcomers_from = models.DateField(null=True, blank=True, editable=False)
    newcomers_until = models.DateField(null=True, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARENT_EVENING)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("How many people can come. Leave empty for no limit.")
    )
    bring_someone = models.BooleanField(
        _("parents may bring someone"), default=False, help_text=_("A partner, grandparent or friend.")
    )
    first_reminder_hours = models.PositiveIntegerField(
        _("first reminder (hours before)"),
        validators=[MaxValueValidator(MAX_REMINDER_HOURS)],
        null=True,
        blank=True,
        default=48,
        help_text=_("To everyone who said yes or maybe. Leave empty for no reminder."),
    )
    second_reminder_hours = models.PositiveIntegerField(
        _("second reminder (hours before)"),
        validators=[MaxValueValidator(MAX_REMINDER_HOURS)],
        null=True,
        blank=True,
        default=2,
        help_text=_("Leave empty for no second reminder."),
    )
    nudge_hours = models.PositiveIntegerField(
        _("ask for an answer (hours before)"),
        validators=[MaxValueValidator(MAX_REMINDER_HOURS)],
        null=True,
        blank=True,
        default=72,
        help_text=_("One reminder to invited parents who have not answered yet. Leave empty for none."),
    )
    nudge_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE: bumped on changes
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["centre", "starts_at"]),
            models.Index(fields=["nudge_at"], condition=Q(cancelled_at__isnull=True), name="event_nudge_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.for_new_parents and self.starts_at:
            day = timezone.localtime(self.starts_at).date()
            self.newcomers_from = day - timedelta(weeks=self.new_parents_weeks)
            self.newcomers_until = day + timedelta(weeks=self.new_parents_weeks)
        else:
            self.newcomers_from = self.newcomers_until = None
        self.nudge_at = self.starts_at - timedelta(hours=self.nudge_hours) if self.nudge_hours is not None else None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "newcomers_from", "newcomers_until", "nudge_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partnership:event_detail", args=[self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def is_open(self):
        """Parents can still answer."""
        return not self.is_cancelled and not self.has_started

    def invited_children(self):
        """The current children whose parents this event invites (same rule as `visible_to`)."""
        children = Child.objects.current().filter(group__centre=self.centre_id)
        if self.pk and self.groups.exists():
            children = children.filter(group__in=self.groups.all())
        if self.for_new_parents:
            children = children.filter(start_date__gte=self.newcomers_from, start_date__lte=self.newcomers_until)
        return children

    def invited_parents(self):
        return User.objects.filter(is_active=True, guardianships__child__in=self.invited_children()).distinct()

    def seats_taken(self):
        return (
            self.rsvps.filter(answer=Rsvp.Answer.YES, on_waiting_list=False).aggregate(total=Sum("party_size"))["total"]
            or 0
        )

    def seats_left(self):
        """Free places, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken(), 0)

    def max_party_size(self):
        return MAX_PARTY_SIZE if self.bring_someone else 1

    def answer_counts(self):
        """People per answer, for staff: {'yes': n, 'maybe': n, 'no': n, 'waiting': n}, one query."""
        counts = self.rsvps.aggregate(
            yes=Coalesce(Sum("party_size", filter=Q(answer=Rsvp.Answer.YES, on_waiting_list=False)), 0),
            maybe=Coalesce(Sum("party_size", filter=Q(answer=Rsvp.Answer.MAYBE)), 0),
            no=models.Count("pk", filter=Q(answer=Rsvp.Answer.NO)),
            waiting=Coalesce(Sum("party_size", filter=Q(on_waiting_list=True)), 0),
        )
        return counts

    # Changes that touch answers and reminders; each runs in one transaction with the event row locked.

    def respond(self, person, answer, party_size=1):
        """Record `person`'s answer. Returns the Rsvp; its `on_waiting_list` says whether they got a place.

        Raises ValidationError when the event is closed or the party size is not allowed.
        """
        party_size = int(party_size or 1)
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.pk)
            if not event.is_open:
                raise ValidationError(_("This event is no longer open for answers."))
            if not 1 <= party_size <= event.max_party_size():
                if event.bring_someone:
                    raise ValidationError(
                        _("You can come with at most %(count)s people.") % {"count": event.max_party_size()}
                    )
                raise ValidationError(_("For this event you can only sign up yourself."))
            if answer != Rsvp.Answer.YES:
                party_size = 1
            rsvp = Rsvp.objects.filter(event=event, person=person).first() or Rsvp(event=event, person=person)
            was_confirmed = rsvp.pk is not None and rsvp.answer == Rsvp.Answer.YES and not rsvp.on_waiting_list
            taken = event.seats_taken() - (rsvp.party_size if was_confirmed else 0)
            if answer == Rsvp.Answer.YES:
                fits = event.capacity is None or taken + party_size <= event.capacity
                ahead = event.rsvps.filter(on_waiting_list=True).exclude(person=person)
                if rsvp.on_waiting_list:
                    ahead = ahead.filter(waiting_since__lt=rsvp.waiting_since)
                if was_confirmed and not fits:
                    raise ValidationError(
                        ngettext(
                            "There is not enough room: %(left)s place is left.",
                            "There is not enough room: %(left)s places are left.",
                            max(event.capacity - taken, 0),
                        )
                        % {"left": max(event.capacity - taken, 0)}
                    )
                if fits and (was_confirmed or not ahead.exists()):
                    rsvp.on_waiting_list = False
                    rsvp.waiting_since = None
                elif not rsvp.on_waiting_list:
                    rsvp.on_waiting_list = True
                    rsvp.waiting_since = timezone.now()
            else:
                rsvp.on_waiting_list = False
                rsvp.waiting_since = None
            rsvp.answer = answer
            rsvp.party_size = party_size
            rsvp.save()
            Reminder.objects.plan_for(rsvp)
            event.fill_from_waiting_list()
        return rsvp

    def fill_from_waiting_list(self):
        """Give free places to the waiting list, first come first served; tell those who move up.

        Call inside a transaction holding the event row lock. Returns the Rsvps that moved up.
        """
        moved_up = []
        left = None if self.capacity is None else self.capacity - self.seats_taken()
        for rsvp in self.rsvps.filter(on_waiting_list=True).order_by("waiting_since", "pk"):
            if left is not None and rsvp.party_size > left:
                break
            rsvp.on_waiting_list = False
            rsvp.waiting_since = None
            rsvp.save(update_fields=["on_waiting_list", "waiting_since", "updated_at"])
            if left is not None:
                left -= rsvp.party_size
            Reminder.objects.plan_for(rsvp)
            moved_up.append(rsvp)
        if moved_up:
            Reminder.objects.announce(self, [r.person_id for r in moved_up], Reminder.Kind.MOVED_UP)
        return moved_up

    def update_details(self, changed_fields):
        """After an edit was saved: reschedule reminders, announce a new time or place, fill new places.

        Call inside a transaction, with the event row locked.
        """
        if {"starts_at", "ends_at", "location"} & set(changed_fields):
            Event.objects.filter(pk=self.pk).update(sequence=models.F("sequence") + 1)
            self.refresh_from_db(fields=["sequence"])
            Reminder.objects.reschedule(self)
            # Everyone who answered, and the invited parents who have not answered yet.
            told = {*self.rsvps.values_list("person", flat=True), *self.invited_parents().values_list("pk", flat=True)}
            Reminder.objects.announce(self, told, Reminder.Kind.CHANGED)
        elif {"first_reminder_hours", "second_reminder_hours"} & set(changed_fields):
            Reminder.objects.reschedule(self)
        if "capacity" in changed_fields:
            self.fill_from_waiting_list()
        if {"groups", "for_new_parents", "new_parents_weeks", "starts_at"} & set(changed_fields):
            Reminder.objects.invite(self)  # parents the change invites for the first time

    def invite_parents(self):
        """A new event: tell the invited parents now, each by their own preference (after the commit)."""
        return Reminder.objects.invite(self)

    def cancel(self):
        """Cancel the event: withdraw its reminders and tell everyone who answered, at once."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.pk)
            if event.is_cancelled:
                return False
            event.cancelled_at = timezone.now()
            event.sequence += 1
            event.save(update_fields=["cancelled_at", "sequence", "updated_at"])
            Reminder.objects.withdraw(event)
            Reminder.objects.announce(event, event.rsvps.values_list("person", flat=True), Reminder.Kind.CANCELLED)
        self.cancelled_at, self.sequence = event.cancelled_at, event.sequence
        return True


class Rsvp(models.Model):
    """One person's answer to an event invitation."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes, I will come")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No, I cannot come")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("event"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    party_size = models.PositiveSmallIntegerField(_("number of people"), default=1, help_text=_("Including yourself."))
    on_waiting_list = models.BooleanField(_("on the waiting list"), default=False)
    waiting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="unique_rsvp_per_person"),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="rsvp_party_size_positive"),
        ]
        indexes = [models.Index(fields=["event", "answer"])]

    def __str__(self):
        return f"{self.person} – {self.event}: {self.answer}"

    @property
    def attends(self):
        """Said yes or maybe and is not waiting for a place: gets the reminders."""
        return self.answer in (self.Answer.YES, self.Answer.MAYBE) and not self.on_waiting_list


def _new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever knows the token sees that person's events."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.person)

    def get_absolute_url(self):
        return reverse("partnership:calendar_feed", args=[self.token])

    @classmethod
    def for_person(cls, person):
        return cls.objects.get_or_create(person=person)[0]

    def reset(self):
        """A new secret address; the old one stops working at once."""
        self.token = _new_feed_token()
        self.save(update_fields=["token"])
