"""A child will not come: reported by a parent (or recorded by staff) for one or more days, ill or otherwise."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child

from .observations import Side

NOTE_MAX_LENGTH = 1000
MAX_DAYS = 60


class AbsenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Absences of the children the user may see (own children, my groups, my centres)."""
        return self.filter(child__in=Child.objects.visible_to(user))

    def current(self):
        return self.filter(withdrawn_at__isnull=True)

    def covering(self, first, last=None):
        """Absences that touch the days from `first` to `last` (one day when `last` is left out)."""
        last = last or first
        return self.current().filter(first_day__lte=last, last_day__gte=first)


class Absence(models.Model):
    class Reason(models.TextChoices):
        ILL = "ill", _("Ill")
        ABSENT = "absent", _("Absent")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="absences", verbose_name=_("child"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, default=Reason.ILL)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until and including"))
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("For example what is wrong or when you expect to be back. Optional."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="absences_reported",
        verbose_name=_("reported by"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    is_late = models.BooleanField(
        _("reported late"), default=False, help_text=_("Reported after the centre's cut-off time.")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-first_day", "-created_at"]
        indexes = [
            models.Index(fields=["child", "-first_day"], name="absence_child_days"),
            models.Index(fields=["last_day", "first_day"], condition=Q(withdrawn_at__isnull=True), name="absence_open"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="absence_days_in_order"),
        ]

    def __str__(self):
        return f"{self.child} – {self.get_reason_display()} ({self.first_day})"

    def get_absolute_url(self):
        return f"{reverse('partnership:child_absences', args=[self.child_id])}#absence-{self.pk}"

    @property
    def days(self):
        return (self.last_day - self.first_day).days + 1

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    def can_withdraw(self):
        """Whoever may see it can take back an absence that has not ended yet (the child is better)."""
        return not self.is_withdrawn and self.last_day >= timezone.localdate()

    def covers(self, day):
        return self.first_day <= day <= self.last_day


def today_and_tomorrow(today=None):
    today = today or timezone.localdate()
    return today, today + datetime.timedelta(days=1)


def with_absences(children, today=None):
    """Annotate a Child queryset with today's and tomorrow's absence (its reason, or None), in the same query."""
    from django.db.models import OuterRef, Subquery

    today, tomorrow = today_and_tomorrow(today)

    def latest_on(day, field):
        covering = Absence.objects.covering(day).filter(child=OuterRef("pk")).order_by("-created_at")
        return Subquery(covering.values(field)[:1])

    return children.annotate(
        absent_today=latest_on(today, "reason"),
        absent_today_late=latest_on(today, "is_late"),
        absent_tomorrow=latest_on(tomorrow, "reason"),
    )


def absent_on_page(children):
    """[(label, [(child, reason label, late), ...]) for today and tomorrow] from children `with_absences`."""
    from django.utils.translation import gettext

    reasons = dict(Absence.Reason.choices)
    today = [(c, reasons.get(c.absent_today, ""), c.absent_today_late) for c in children if c.absent_today]
    tomorrow = [(c, reasons.get(c.absent_tomorrow, ""), False) for c in children if c.absent_tomorrow]
    return [(gettext("Today"), today), (gettext("Tomorrow"), tomorrow)]
