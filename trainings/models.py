"""The training offer: catalogue, intake requests, in-company bookings, sessions and learning wishes.

Trainers see all of it and never any child's data; managers see their own organisation's bookings;
participants see their own learning-wish form.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from children.models import Centre, Membership, Organisation
from common.concurrency import version_field


def is_trainer(user):
    return user.is_authenticated and user.is_trainer


def trainers():
    """Everyone who works for the training provider and can still log in."""
    return User.objects.filter(is_trainer=True, is_active=True)


def _new_token():
    return secrets.token_urlsafe(32)


# --- Catalogue -------------------------------------------------------------------------------------------


class OfferingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Offering(models.Model):
    """One item of the catalogue: the in-company training, or a supporting activity."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("In-company training")
        PARENT_EVENING = "parent_evening", _("Parent evening")
        THEME_MEETING = "theme_meeting", _("Theme meeting")
        WORKSHOP = "workshop", _("Study-day workshop")
        LECTURE = "lecture", _("Lecture for parents")
        ORIENTATION = "orientation", _("Orientation talk")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True, allow_unicode=False)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for the overview."))
    description = models.TextField(_("description"), max_length=5000, blank=True)
    audience = models.CharField(_("for whom"), max_length=200, blank=True)
    duration = models.CharField(_("duration"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown in the public offer and available for booking.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("trainings:offering_detail", args=[self.slug])

    @property
    def is_training(self):
        return self.kind == self.Kind.TRAINING


class ProgrammeStep(models.Model):
    """A step of a training's programme, e.g. 'Inventory of learning wishes'."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="steps", verbose_name=_("offering"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("programme step")
        verbose_name_plural = _("programme steps")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Theme(models.Model):
    """A theme a training works on, e.g. 'Giving and receiving feedback'."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="themes", verbose_name=_("offering"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


# --- Intake requests -------------------------------------------------------------------------------------


class IntakeRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Trainers see every request; nobody else sees any."""
        if not is_trainer(user):
            return self.none()
        return self.all()

    def new_first(self):
        """The desk's order: new requests on top, then the most recent."""
        return self.annotate(
            is_new=Case(
                When(status=IntakeRequest.Status.NEW, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("is_new", "-created_at", "-pk")

    def due_for_anonymisation(self, now=None):
        now = now or timezone.now()
        months = settings.TRAININGS_INTAKE_RETENTION_MONTHS
        return self.filter(
            status=IntakeRequest.Status.CLOSED,
            closed_at__lt=now - timedelta(days=round(months * 30.44)),
            anonymised_at__isnull=True,
        )


phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-]{6,20}$", _("Enter a phone number with digits only, e.g. 06 12345678.")
)


class IntakeRequest(models.Model):
    """A contact or intake request sent by anyone through the public form."""

    class Role(models.TextChoices):
        PARENT = "parent", _("Parent")
        STAFF = "staff", _("Pedagogical staff")
        MANAGER = "manager", _("Manager")
        HR = "hr", _("HR")
        OTHER = "other", _("Other")

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("By email")
        PHONE = "phone", _("By phone")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for reply")
        PLANNED = "planned", _("Planned")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("your role"), max_length=10, choices=Role.choices)
    interest = models.ForeignKey(
        Offering,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intake_requests",
        verbose_name=_("interested in"),
        help_text=_("Empty means something else."),
    )
    question = models.TextField(_("your question"), max_length=5000)
    contact_method = models.CharField(
        _("how may we contact you?"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    contact_time = models.CharField(_("when suits you best?"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    consent_at = models.DateTimeField(_("consent given at"))

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_intake_requests",
        verbose_name=_("assigned to"),
        limit_choices_to={"is_trainer": True},
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    # Against double posts: the form's one-time key, and a digest of the content for a quick resend.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = IntakeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("intake request")
        verbose_name_plural = _("intake requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["interest", "status"]),
            models.Index(fields=["fingerprint", "created_at"]),
            models.Index(fields=["closed_at"], condition=Q(anonymised_at__isnull=True), name="intake_to_anonymise"),
        ]

    def __str__(self):
        if self.anonymised_at:
            return str(_("Anonymised request #%(pk)s") % {"pk": self.pk})
        return f"{self.name} ({self.organisation})"

    def get_absolute_url(self):
        return reverse("trainings:intake_detail", args=[self.pk])

    def set_status(self, status):
        self.status = status
        if status == self.Status.CLOSED:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None

    def anonymise(self):
        """Keep the fact that a request came in (for figures), drop everything that says who asked what."""
        self.name = ""
        self.email = ""
        self.phone = ""
        self.organisation = ""
        self.question = ""
        self.contact_time = ""
        self.fingerprint = ""
        self.anonymised_at = timezone.now()
        self.save()
        self.notes.all().delete()
        self.answers.update(body="")


class IntakeNote(models.Model):
    """An internal note of a trainer on a request; never shown to the person who asked."""

    request = models.ForeignKey(IntakeRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class IntakeAnswer(models.Model):
    """An answer a trainer sent by email from the portal; kept with the request."""

    request = models.ForeignKey(IntakeRequest, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("answer"), max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]


# --- Bookings --------------------------------------------------------------------------------------------


def organisations_managed_by(user):
    """Organisations a user manages as a whole: a manager membership marked organisation-wide."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    wide = Membership.objects.filter(user=user, role=Membership.Role.MANAGER, organisation_wide=True)
    return Organisation.objects.filter(pk__in=wide.values("centre__organisation"))


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Trainers see all bookings; managers those of their organisation; nobody else any."""
        if not user.is_authenticated:
            return self.none()
        if user.is_trainer:
            return self.all()
        return self.managed_by(user)

    def managed_by(self, user):
        """Bookings a manager may see and change: those of the centres they manage; every booking of the
        organisation (also those for the organisation as a whole) only with an organisation-wide role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(centre__in=Centre.objects.managed_by(user)) | Q(organisation__in=organisations_managed_by(user))
        )

    def open(self):
        return self.exclude(status__in=[Booking.Status.DELIVERED, Booking.Status.CANCELLED])

    def for_list(self):
        return self.select_related("offering", "centre", "organisation", "trainer").prefetch_related(
            "preferred_dates", "sessions"
        )


class Booking(models.Model):
    """An in-company training or activity, booked by a manager for a centre or the whole organisation."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PLANNING = "planning", _("Being planned")
        CONFIRMED = "confirmed", _("Confirmed")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    # Which status may follow which; confirming again means new dates or another trainer.
    TRANSITIONS = {
        Status.REQUESTED: {Status.PLANNING, Status.CONFIRMED, Status.CANCELLED},
        Status.PLANNING: {Status.CONFIRMED, Status.CANCELLED},
        Status.CONFIRMED: {Status.CONFIRMED, Status.DELIVERED, Status.CANCELLED},
        Status.DELIVERED: set(),
        Status.CANCELLED: set(),
    }

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="training_bookings", verbose_name=_("organisation")
    )
    centre = models.ForeignKey(
        Centre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_bookings",
        verbose_name=_("centre"),
        help_text=_("Empty means the whole organisation."),
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("training or activity")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    preferred_time = models.CharField(
        _("preferred time of day"), max_length=200, blank=True, help_text=_("For example: evenings from 19:00.")
    )
    expected_parents = models.PositiveSmallIntegerField(
        _("expected number of parents"), default=0, validators=[MaxValueValidator(500)]
    )
    expected_staff = models.PositiveSmallIntegerField(
        _("expected number of staff"), default=0, validators=[MaxValueValidator(500)]
    )
    location = models.CharField(_("location"), max_length=300)
    goals = models.TextField(_("what do you hope to achieve?"), max_length=5000)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings_given",
        verbose_name=_("trainer"),
        limit_choices_to={"is_trainer": True},
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intake_request = models.OneToOneField(
        IntakeRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="booking"
    )
    created_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    version = version_field()

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self):
        where = self.centre or self.organisation
        return f"{self.offering} – {where}"

    def get_absolute_url(self):
        return reverse("trainings:booking_detail", args=[self.pk])

    def can_move_to(self, status):
        return status in self.TRANSITIONS[self.status]

    @property
    def is_open(self):
        return self.status not in (self.Status.DELIVERED, self.Status.CANCELLED)

    @property
    def invites_participants(self):
        """Participants are invited once the dates are known."""
        return self.status == self.Status.CONFIRMED

    def centres(self):
        if self.centre_id:
            return Centre.objects.filter(pk=self.centre_id)
        return self.organisation.centres.all()

    def managers(self):
        """The managers told of every change: the one who booked, and the managers of the centre(s)."""
        return User.objects.filter(
            Q(pk=self.requested_by_id)
            | Q(memberships__role=Membership.Role.MANAGER, memberships__centre__in=self.centres())
        ).distinct()


class PreferredDate(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="preferred_dates")
    date = models.DateField(_("date"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("preferred date")
        verbose_name_plural = _("preferred dates")
        ordering = ["position", "date"]

    def __str__(self):
        return str(self.date)


class BookingChange(models.Model):
    """One step in a booking's history, shown to the manager and trainer."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(_("status"), max_length=12, choices=Booking.Status.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking change")
        verbose_name_plural = _("booking changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.booking} – {self.get_status_display()}"


class TrainingSession(models.Model):
    """A planned meeting of a confirmed booking."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(
        _("location"), max_length=300, blank=True, help_text=_("Empty: the booking's location.")
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["booking", "starts_at"], name="unique_session_start_per_booking"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.booking} – {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def where(self):
        return self.location or self.booking.location


# --- Learning wishes -------------------------------------------------------------------------------------


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A participant sees only their own learning-wish forms."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def answered(self):
        return self.filter(answered_at__isnull=False)


class Participant(models.Model):
    """Someone invited to a confirmed booking, with their learning wishes once they filled them in."""

    class Role(models.TextChoices):
        PARENT = "parent", _("Parent")
        PROFESSIONAL = "professional", _("Professional")

    # The three questions of the learning-wish form, in order.
    QUESTIONS = ["wants_to_learn", "hard_situation", "wants_to_practise"]

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_participations",
    )
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("takes part as"), max_length=12, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    wants_to_learn = models.TextField(_("What would you like to learn?"), max_length=2000, blank=True)
    hard_situation = models.TextField(
        _("Describe a situation with a parent or professional that you found hard."), max_length=2000, blank=True
    )
    wants_to_practise = models.TextField(_("What would you like to practise?"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "name", "email"]
        constraints = [models.UniqueConstraint(fields=["booking", "email"], name="unique_participant_per_booking")]
        indexes = [models.Index(fields=["user", "-invited_at"])]

    def __str__(self):
        return self.name or self.email

    def get_absolute_url(self):
        if self.user_id:
            return reverse("trainings:wish_form", args=[self.pk])
        return reverse("trainings:wish_form_token", args=[self.token])


class TrainingReminder(models.Model):
    """A reminder to one participant before one session, sent once by the periodic dispatcher."""

    class Kind(models.TextChoices):
        WEEK_BEFORE = "week", _("A week before")
        DAY_BEFORE = "day", _("A day before")

    # How long before the session each reminder is due.
    LEAD_TIMES = {Kind.WEEK_BEFORE: timedelta(days=7), Kind.DAY_BEFORE: timedelta(days=1)}

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="reminders")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Delivery failures: given up after a lasting error or a few tries (common.dispatch.give_up_on_failure).
    attempts = models.PositiveSmallIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("training reminder")
        verbose_name_plural = _("training reminders")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant", "kind"], name="unique_training_reminder")
        ]
        indexes = [models.Index(fields=["due_at"], condition=Q(sent_at__isnull=True), name="training_reminder_due")]

    def __str__(self):
        return f"{self.participant} – {self.session} ({self.get_kind_display()})"
