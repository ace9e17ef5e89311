"""The handover to school (overdracht): the mentor's document about the child, shared only with consent.

The mentor drafts it per development theme; the parents read it, may add their own view beside it (they do
not change the mentor's text), and give or refuse consent. Only with consent can it be sent to a named school
contact, as a link that needs no account: a random token that is stored only as its hash, expires, and can be
revoked. Every open of the link and every download is written to the child's access log.
"""

import calendar
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from children.models import Child, Guardianship

from .observations import Theme


def months_old(child, today=None):
    today = today or timezone.localdate()
    born = child.date_of_birth
    return (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)


def born_on_or_before(today, months):
    """The latest date of birth of a child who is at least `months` old on `today`."""
    index = today.month - 1 - months
    year, month = today.year + index // 12, index % 12 + 1
    return today.replace(year=year, month=month, day=min(today.day, calendar.monthrange(year, month)[1]))


class HandoverQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The child's staff and managers; the parents once the mentor has shared it with them."""
        if not user.is_authenticated:
            return self.none()
        own = Guardianship.objects.filter(user=user).values("child")
        return self.filter(
            Q(child__in=Child.objects.cared_for_by(user)) | (Q(child__in=own) & ~Q(status=Handover.Status.DRAFT))
        )


class Handover(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING = "awaiting", _("Waiting for the parents' consent")
        CONSENTED = "consented", _("Parents agree to share it")
        REFUSED = "refused", _("Parents do not want it shared")
        SENT = "sent", _("Sent to school")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("child"))
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("mentor")
    )
    themes = models.JSONField(_("per development theme"), default=dict, blank=True)
    wellbeing = models.TextField(_("wellbeing"), blank=True, max_length=3000)
    what_helps = models.TextField(_("what helps the child"), blank=True, max_length=3000)
    agreements_that_work = models.TextField(_("agreements that work"), blank=True, max_length=3000)
    parent_view = models.TextField(_("the parents' view"), blank=True, max_length=3000)
    parent_view_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HandoverQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover to school")
        verbose_name_plural = _("handovers to school")
        constraints = [models.UniqueConstraint(fields=["child"], name="one_handover_per_child")]

    def __str__(self):
        return f"{self.child}"

    def get_absolute_url(self):
        return reverse("partnership:handover_detail", args=[self.pk])

    def theme_texts(self):
        """(label, text) per development theme that has a text, in the timeline's order."""
        return [(label, self.themes.get(value)) for value, label in Theme.choices if self.themes.get(value)]

    @property
    def may_be_sent(self):
        return self.status in (self.Status.CONSENTED, self.Status.SENT)

    @property
    def consent_may_change(self):
        return self.status in (self.Status.AWAITING, self.Status.CONSENTED, self.Status.REFUSED)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class HandoverLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(handover__in=Handover.objects.visible_to(user))

    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, handover__status=Handover.Status.SENT)

    def for_token(self, token):
        return self.usable().filter(token_hash=hash_token(token)).select_related("handover__child").first()


class HandoverLink(models.Model):
    """One school contact's read-only access to one handover document."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    contact_name = models.CharField(_("name of the school contact"), max_length=150)
    contact_email = models.EmailField(_("email of the school contact"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    opened_count = models.PositiveIntegerField(default=0, editable=False)

    objects = HandoverLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover link")
        verbose_name_plural = _("handover links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.handover} → {self.contact_name}"

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now() and self.handover.status == "sent"
