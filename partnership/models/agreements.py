"""The frame parents and staff set together.

Per centre: drop-in times and house agreements, kept by the manager and shown to the parents.
Per child: agreements both sides accept. One side proposes, the other accepts or suggests a change (which is
then a proposal of their own); an accepted agreement has a date to look at it again, and both sides are
reminded on that day.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import User
from children.models import Centre, Child, Membership
from common.concurrency import claim_version, version_field


class CentreAgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(centre__in=Centre.objects.visible_to(user))

    def managed_by(self, user):
        return self.filter(centre__in=Centre.objects.managed_by(user))


class CentreAgreement(models.Model):
    class Kind(models.TextChoices):
        DROP_IN = "drop_in", _("Drop-in times")
        HOUSE = "house", _("House agreement")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("centre"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HOUSE)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Lower numbers come first."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = CentreAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("centre agreement")
        verbose_name_plural = _("centre agreements")
        ordering = ["centre", "kind", "position", "title"]
        indexes = [models.Index(fields=["centre", "kind", "position"])]

    def __str__(self):
        return self.title


def _default_review_date():
    return timezone.localdate() + timedelta(weeks=12)


class ChildAgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(child__in=Child.objects.visible_to(user))

    def current(self):
        return self.exclude(status=ChildAgreement.Status.ENDED)

    def review_due(self, today=None):
        """Accepted agreements whose review date has come and whose sides have not been reminded yet."""
        today = today or timezone.localdate()
        return self.filter(status=ChildAgreement.Status.ACCEPTED, review_date__lte=today, review_reminded_at=None)


class ChildAgreement(models.Model):
    class Topic(models.TextChoices):
        GOODBYE = "goodbye", _("Saying goodbye")
        SLEEPING = "sleeping", _("Sleeping")
        EATING = "eating", _("Eating and drinking")
        COMFORT = "comfort", _("Comfort and cuddly toys")
        TOILET = "toilet", _("Toilet training")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Agreed")
        ENDED = "ended", _("Ended")

    class Side(models.TextChoices):
        HOME = "home", _("Parents")
        CENTRE = "centre", _("Centre")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("child"))
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices, default=Topic.GOODBYE)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what we agree"))
    review_date = models.DateField(
        _("look at it again on"), default=_default_review_date, help_text=_("Both sides get a reminder that day.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_side = models.CharField(_("proposed by"), max_length=6, choices=Side.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("proposed by")
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()
    talk = models.ForeignKey(
        "partnership.TalkReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("made in the talk"),
    )

    objects = ChildAgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("child agreement")
        verbose_name_plural = _("child agreements")
        ordering = ["status", "-updated_at"]
        indexes = [
            models.Index(fields=["child", "status"]),
            models.Index(
                fields=["review_date"],
                condition=Q(status="accepted", review_reminded_at__isnull=True),
                name="agreement_review_due",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnership:agreement_detail", args=[self.pk])

    @staticmethod
    def side_of(user, child):
        """HOME for a parent of the child, CENTRE for its staff or manager, None for anyone else."""
        if child.guardianships.filter(user=user).exists():
            return ChildAgreement.Side.HOME
        if Child.objects.cared_for_by(user).filter(pk=child.pk).exists():
            return ChildAgreement.Side.CENTRE
        return None

    @property
    def awaiting_side(self):
        if self.status != self.Status.PROPOSED:
            return None
        return self.Side.CENTRE if self.proposed_side == self.Side.HOME else self.Side.HOME

    def people_of(self, side):
        """Who speaks for a side: the parents, or the staff of the child's group (its managers when none)."""
        if side == self.Side.HOME:
            return User.objects.filter(guardianships__child=self.child_id, is_active=True)
        staff = User.objects.filter(
            is_active=True, memberships__role=Membership.Role.STAFF, memberships__groups=self.child.group_id
        )
        if staff.exists():
            return staff.distinct()
        return User.objects.filter(
            is_active=True, memberships__role=Membership.Role.MANAGER, memberships__centre=self.child.group.centre_id
        ).distinct()

    def everyone(self):
        return list(self.people_of(self.Side.HOME)) + list(self.people_of(self.Side.CENTRE))

    def propose(self, user, side):
        """Save as a proposal of `side` (a new one, or a suggested change). Telling the other side:
        `partnership.services.agreements.propose`."""
        self.status = self.Status.PROPOSED
        self.proposed_side = side
        self.proposed_by = user
        self.accepted_by = self.accepted_at = None
        self.review_reminded_at = None
        self.save()

    def accept(self, user, version):
        """Accept the proposal in `version`, the one the person was shown.

        Raises VersionConflict (with the agreement as it is now) when it changed in between.
        Call inside a transaction (`partnership.services.agreements.accept` does, and tells the proposer).
        """
        claim_version(self, version)
        self.status = self.Status.ACCEPTED
        self.accepted_by = user
        self.accepted_at = timezone.now()
        self.review_reminded_at = None
        self.save()

    def end(self):
        """Call inside a transaction (`partnership.services.agreements.end` does, and tells both sides)."""
        self.status = self.Status.ENDED
        # An open form to change or accept it is based on an older version now.
        ChildAgreement.objects.filter(pk=self.pk).update(version=models.F("version") + 1)
        self.refresh_from_db(fields=["version"])
        self.save()
