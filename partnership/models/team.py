"""How a centre's team works with parents: until when an absence counts as on time, and when messages are answered.

One row per centre, made when a manager first saves the settings; until then the defaults apply.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Centre
from common.concurrency import version_field

DEFAULT_ABSENCE_CUTOFF = datetime.time(9, 0)
DEFAULT_ANSWER_FROM = datetime.time(8, 0)
DEFAULT_ANSWER_UNTIL = datetime.time(17, 0)
DEFAULT_ANSWER_DAYS = "12345"  # ISO weekdays: Monday is 1


class Weekday(models.TextChoices):
    MONDAY = "1", _("Monday")
    TUESDAY = "2", _("Tuesday")
    WEDNESDAY = "3", _("Wednesday")
    THURSDAY = "4", _("Thursday")
    FRIDAY = "5", _("Friday")
    SATURDAY = "6", _("Saturday")
    SUNDAY = "7", _("Sunday")


class TeamSettingsQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The settings of the centres the user belongs to (as parent, staff or manager)."""
        return self.filter(centre__in=Centre.objects.visible_to(user))

    def for_centre(self, centre):
        """The centre's settings, or unsaved defaults when nobody changed them yet."""
        return self.filter(centre=centre).first() or TeamSettings(centre=centre)


class TeamSettings(models.Model):
    centre = models.OneToOneField(Centre, on_delete=models.CASCADE, related_name="team_settings")
    absence_cutoff = models.TimeField(
        _("absences on time until"),
        default=DEFAULT_ABSENCE_CUTOFF,
        help_text=_("An absence for today reported after this time is marked as late."),
    )
    answer_from = models.TimeField(_("messages answered from"), default=DEFAULT_ANSWER_FROM)
    answer_until = models.TimeField(_("messages answered until"), default=DEFAULT_ANSWER_UNTIL)
    answer_days = models.CharField(_("on these days"), max_length=7, default=DEFAULT_ANSWER_DAYS)
    version = version_field()

    objects = TeamSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("team settings")
        verbose_name_plural = _("team settings")

    def __str__(self):
        return str(self.centre)

    def clean(self):
        if self.answer_from and self.answer_until and self.answer_from >= self.answer_until:
            raise ValidationError({"answer_until": _("The end must be later than the start.")})

    @property
    def weekdays(self):
        return sorted({int(day) for day in self.answer_days if day.isdigit() and 1 <= int(day) <= 7})

    def is_late_absence(self, first_day, reported_at=None):
        """An absence is late when reported for a day already past, or for today after the cut-off."""
        now = timezone.localtime(reported_at or timezone.now())
        today = now.date()
        return first_day < today or (first_day == today and now.time() >= self.absence_cutoff)

    def is_answering(self, at=None):
        at = timezone.localtime(at or timezone.now())
        return at.isoweekday() in self.weekdays and self.answer_from <= at.time() < self.answer_until

    def next_answer_time(self, at=None):
        """When the team is next answering messages: `at` itself during the hours, else the next opening.

        None when the centre set no days at all.
        """
        at = timezone.localtime(at or timezone.now())
        if self.is_answering(at):
            return at
        days = self.weekdays
        if not days:
            return None
        zone = timezone.get_current_timezone()
        for offset in range(8):
            day = at.date() + datetime.timedelta(days=offset)
            if day.isoweekday() not in days:
                continue
            opening = timezone.make_aware(datetime.datetime.combine(day, self.answer_from), zone)
            if opening > at:
                return opening
        return None
