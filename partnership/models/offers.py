"""What parents can and like to contribute to the centre, and staff asking them to help with an event."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from children.models import Centre


class ParentOfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A parent sees their own offers; staff and managers those made to their centres."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(person=user) | Q(centre__in=Centre.objects.worked_at_by(user)))

    def browsable_by(self, user):
        """Offers a professional may browse and act on."""
        return self.filter(centre__in=Centre.objects.worked_at_by(user))


class ParentOffer(models.Model):
    class Kind(models.TextChoices):
        CRAFTING = "crafting", _("Crafting")
        COOKING = "cooking", _("Cooking with the children")
        READING = "reading", _("Reading aloud")
        ODD_JOBS = "odd_jobs", _("Odd jobs")
        EXPERTISE = "expertise", _("Sharing my expertise or giving a talk")
        NETWORK = "network", _("My network")
        OTHER = "other", _("Something else")

    MOMENTS = ("mornings", "afternoons", "evenings", "weekends")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="parent_offers", verbose_name=_("centre"))
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("tell a bit more"), blank=True)
    mornings = models.BooleanField(_("mornings"), default=False)
    afternoons = models.BooleanField(_("afternoons"), default=False)
    evenings = models.BooleanField(_("evenings"), default=False)
    weekends = models.BooleanField(_("weekends"), default=False)
    availability = models.CharField(
        _("when suits you"), max_length=200, blank=True, help_text=_("For example: every other Friday morning.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParentOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("parent offer")
        verbose_name_plural = _("parent offers")
        ordering = ["-updated_at", "pk"]
        indexes = [models.Index(fields=["centre", "kind"]), models.Index(fields=["person"])]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("partnership:offer_detail", args=[self.pk])

    def moments(self):
        labels = {name: self._meta.get_field(name).verbose_name for name in self.MOMENTS}
        return [labels[name] for name in self.MOMENTS if getattr(self, name)]


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(offer__person=user) | Q(offer__centre__in=Centre.objects.worked_at_by(user)))


class HelpRequest(models.Model):
    """Staff asking a parent, through their offer, to help with a specific event."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Happy to help")
        NO = "no", _("Not this time")

    offer = models.ForeignKey(ParentOffer, on_delete=models.CASCADE, related_name="help_requests")
    event = models.ForeignKey(
        "partnership.Event", on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("event")
    )
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField(_("message"), blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["offer", "event"], name="unique_help_request_per_event")]

    def __str__(self):
        return f"{self.offer} – {self.event}"
