"""Talks between parents and the mentor (mentorgesprekken): rounds of time slots that parents book.

A round belongs to a centre and invites the children of a group, or the children the mentor who opens it
mentors. Its slots are generated when it is opened; parents of an invited child book one slot per child
until the booking deadline. Reminders are rows (`TalkReminder`), sent once by the due-row dispatcher.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Centre, Child, Group, Guardianship


class TalkRoundQuerySet(models.QuerySet):
    def run_by(self, user):
        """Rounds the user runs as a professional: opened by them, of their groups, or of centres they manage."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(created_by=user, centre__in=Centre.objects.worked_at_by(user))
            | Q(group__in=Group.objects.worked_on_by(user))
            | Q(centre__in=Centre.objects.managed_by(user))
        )

    def invited_for(self, user):
        """Rounds that invite a child of this parent."""
        if not user.is_authenticated:
            return self.none()
        own = Guardianship.objects.filter(user=user).values("child")
        return self.filter(pk__in=TalkRound.children.through.objects.filter(child__in=own).values("talkround"))

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(pk__in=self.run_by(user).values("pk")) | Q(pk__in=self.invited_for(user).values("pk")))


class TalkRound(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="talk_rounds", verbose_name=_("centre"))
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="talk_rounds",
        verbose_name=_("group"),
        help_text=_("Empty when the round is for the children the mentor mentors."),
    )
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("room or place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per talk"))
    booking_deadline = models.DateTimeField(_("book before"))
    children = models.ManyToManyField(Child, related_name="talk_rounds", verbose_name=_("invited children"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="talk_rounds_opened",
        verbose_name=_("mentor"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TalkRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round of talks")
        verbose_name_plural = _("rounds of talks")
        ordering = ["-booking_deadline", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnership:talk_round_detail", args=[self.pk])

    @property
    def is_open(self):
        return timezone.now() < self.booking_deadline

    @property
    def where(self):
        return self.place or self.video_url


def plan_slots(dates, start, end, minutes, break_start=None, break_end=None):
    """The (starts_at, ends_at) pairs of a round: on each date from `start` to `end`, `minutes` long each,
    leaving out what overlaps the break. Times are local to the centre."""
    step = timedelta(minutes=minutes)
    result = []
    for day in sorted(set(dates)):
        at = timezone.make_aware(datetime.combine(day, start))
        until = timezone.make_aware(datetime.combine(day, end))
        pause = None
        if break_start and break_end:
            pause = (
                timezone.make_aware(datetime.combine(day, break_start)),
                timezone.make_aware(datetime.combine(day, break_end)),
            )
        while at + step <= until:
            if pause and at < pause[1] and at + step > pause[0]:
                at = pause[1]
                continue
            result.append((at, at + step))
            at += step
    return result


class TalkSlotQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff running the round see every slot; a parent sees the free slots of rounds inviting their
        child and the slots booked for their own children, never which other child booked a slot."""
        if not user.is_authenticated:
            return self.none()
        own = Guardianship.objects.filter(user=user).values("child")
        return self.filter(
            Q(round__in=TalkRound.objects.run_by(user))
            | Q(child__in=own)
            | Q(child__isnull=True, round__in=TalkRound.objects.invited_for(user))
        )

    def free(self):
        return self.filter(child__isnull=True, starts_at__gt=timezone.now())

    def booked(self):
        return self.filter(child__isnull=False)


class TalkSlot(models.Model):
    round = models.ForeignKey(TalkRound, on_delete=models.CASCADE, related_name="slots", verbose_name=_("round"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="talk_slots", verbose_name=_("child")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)

    objects = TalkSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "starts_at"], name="unique_talk_slot_time"),
            models.UniqueConstraint(
                fields=["round", "child"], condition=Q(child__isnull=False), name="one_talk_per_child_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.round} – {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("partnership:talk_round_detail", args=[self.round_id])

    @property
    def is_free(self):
        return self.child_id is None


class TalkReminderQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(person=user)

    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(due_at__lte=now, sent_at__isnull=True).select_related("round", "slot__child", "person")

    def for_family_download(self, child_ids):
        """A reminder goes with the child of its slot; a nudge to book (no slot yet) with the children its round
        invites, so a sibling's round does not show up in the other child's download."""
        return self.filter(
            Q(slot__child__in=child_ids) | Q(slot__isnull=True, round__children__in=child_ids)
        ).distinct()


class TalkReminder(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("Reminder before the talk")
        NUDGE = "nudge", _("Request to book a talk")

    round = models.ForeignKey(TalkRound, on_delete=models.CASCADE, related_name="reminders")
    slot = models.ForeignKey(TalkSlot, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talk_reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = TalkReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk reminder")
        verbose_name_plural = _("talk reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "person", "kind"], condition=Q(slot__isnull=False), name="unique_talk_reminder"
            ),
            models.UniqueConstraint(
                fields=["round", "person", "kind"], condition=Q(slot__isnull=True), name="unique_talk_nudge"
            ),
        ]
        indexes = [models.Index(fields=["due_at"], condition=Q(sent_at__isnull=True), name="talk_reminder_unsent")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.round} – {self.person}"


def _mentor_children(user):
    """Children whose talks this person holds: they opened the round or mentor the child, and still care for it."""
    return Child.objects.cared_for_by(user)


class TalkPreparationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The parents' answers are for the parents and the mentor of the talk only, not the whole team."""
        if not user.is_authenticated:
            return self.none()
        cared = _mentor_children(user).values("pk")
        return self.filter(
            Q(child__in=Guardianship.objects.filter(user=user).values("child"))
            | Q(round__created_by=user, child__in=cared)
            | Q(child__mentor=user, child__in=cared)
        )


class TalkPreparation(models.Model):
    """What the parents want to bring to the talk; every answer is optional."""

    PROMPTS = ("at_home", "proud_of", "worries", "questions")

    round = models.ForeignKey(TalkRound, on_delete=models.CASCADE, related_name="preparations")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="talk_preparations")
    at_home = models.TextField(_("What do you see at home?"), blank=True, max_length=2000)
    proud_of = models.TextField(_("What are you proud of?"), blank=True, max_length=2000)
    worries = models.TextField(_("Is there anything you worry about?"), blank=True, max_length=2000)
    questions = models.TextField(_("What would you like to ask?"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TalkPreparationQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk preparation")
        verbose_name_plural = _("talk preparations")
        constraints = [models.UniqueConstraint(fields=["round", "child"], name="one_preparation_per_talk")]

    def __str__(self):
        return f"{self.round} – {self.child}"

    def answers(self):
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.PROMPTS
            if getattr(self, name)
        ]


class TalkReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The mentor's notes and report: the staff running the round; the parents once it is shared."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(round__in=TalkRound.objects.run_by(user), child__in=Child.objects.cared_for_by(user))
            | Q(child__in=Guardianship.objects.filter(user=user).values("child"), published_at__isnull=False)
        )


class TalkReport(models.Model):
    """The mentor's preparation (observations to discuss) and, after the talk, the short report."""

    round = models.ForeignKey(TalkRound, on_delete=models.CASCADE, related_name="reports")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="talk_reports")
    observations = models.ManyToManyField(
        "partnership.Observation", blank=True, related_name="talk_reports", verbose_name=_("observations to discuss")
    )
    text = models.TextField(_("report"), blank=True, max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("shared with the parents at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TalkReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk report")
        verbose_name_plural = _("talk reports")
        constraints = [models.UniqueConstraint(fields=["round", "child"], name="one_report_per_talk")]

    def __str__(self):
        return f"{self.round} – {self.child}"


class TalkReactionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(report__in=TalkReport.objects.visible_to(user))


class TalkReaction(models.Model):
    """A parent's answer to the report."""

    report = models.ForeignKey(TalkReport, on_delete=models.CASCADE, related_name="reactions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("your reaction"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TalkReactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reaction to a talk report")
        verbose_name_plural = _("reactions to talk reports")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:50]
