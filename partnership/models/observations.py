"""What home and the centre see of a child: observations, replies, tips and how a tip worked out.

Every observation and reply has a side, home or centre, derived from the author's relation to the child
when it is written: a parent writes from home, staff and managers write from the centre.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from children.models import Child
from children.photos import PhotoStatus
from common.concurrency import version_field

from .prompts import prompt_field

EDIT_WINDOW = timedelta(hours=24)
TEXT_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 2000
MAX_PHOTOS = 4


class Side(models.TextChoices):
    HOME = "home", pgettext_lazy("side", "Home")
    CENTRE = "centre", pgettext_lazy("side", "Centre")


class Theme(models.TextChoices):
    EATING = "eating", _("Eating")
    SLEEPING = "sleeping", _("Sleeping")
    PLAYING = "playing", _("Playing")
    LANGUAGE = "language", _("Language")
    MOVING = "moving", _("Moving")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social-emotional")
    TOILET = "toilet", _("Toilet training")
    OTHER = "other", _("Other")


def side_of(user, child):
    """Home when the user is a parent of the child, otherwise the centre (staff or manager).

    Remembers the child's guardians on the instance, shared with `children.privacy.access.record_access`.
    """
    guardians = getattr(child, "_guardian_ids", None)
    if guardians is None:
        guardians = set(child.guardianships.values_list("user_id", flat=True))
        child._guardian_ids = guardians
    if user.pk in guardians:
        return Side.HOME
    # The wider family writes from home too; they are never in the access log's list of guardians.
    family = getattr(child, "_family_ids", None)
    if family is None:
        family = set(child.family_members.active().values_list("user_id", flat=True))
        child._family_ids = family
    return Side.HOME if user.pk in family else Side.CENTRE


def people_of_side(child, side, with_family=False):
    """Who stands on one side of a child: its parents, or the staff of its group (its managers if none).

    `with_family` adds, on the home side, the wider family who follow this child (access not revoked).
    """
    if side == Side.HOME:
        parents = Q(guardianships__child=child)
        if with_family:
            parents |= Q(family_of__child=child, family_of__revoked_at__isnull=True)
        return list(User.objects.filter(parents, is_active=True).distinct())
    staff = list(
        User.objects.filter(memberships__groups=child.group_id, memberships__role="staff", is_active=True).distinct()
    )
    if staff:
        return staff
    return list(
        User.objects.filter(
            memberships__centre=child.group.centre_id, memberships__role="manager", is_active=True
        ).distinct()
    )


def other_side(side):
    return Side.CENTRE if side == Side.HOME else Side.HOME


class AuthoredMixin(models.Model):
    """Shared by observations and replies: written by one person, editable for a while, deleted softly."""

    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # A random token from the form, so a double submit cannot create the same thing twice.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    version = version_field()

    class Meta:
        abstract = True

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_home(self):
        return self.side == Side.HOME

    def editable_until(self):
        return self.created_at + EDIT_WINDOW

    def can_edit(self, user):
        """Only the author, only within the edit window, never after deleting."""
        return (
            not self.is_deleted
            and self.author_id is not None
            and self.author_id == user.pk
            and timezone.now() < self.editable_until()
        )

    def can_delete(self, user):
        return not self.is_deleted and self.author_id is not None and self.author_id == user.pk

    def soft_delete(self):
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Observations of the children the user may see (own children, my groups, my centres)."""
        return self.filter(child__in=Child.objects.visible_to(user))

    def readable_by(self, user):
        """`visible_to` plus the children the user follows as wider family: for reading and replying only."""
        return self.filter(child__in=Child.objects.readable_by(user))

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def for_timeline(self):
        """Everything a timeline card shows, in a fixed number of queries however long the page."""
        return self.select_related("author", "seen_by").prefetch_related(
            Prefetch("photos", queryset=ObservationPhoto.objects.order_by("pk")),
            Prefetch(
                "replies",
                queryset=Reply.objects.select_related("author", "outcome__author").order_by("created_at", "pk"),
            ),
        )

    def awaiting_centre(self):
        """Home observations nobody on the team answered yet; a question needs a reply, not only a 'seen'."""
        centre_reply = Reply.objects.filter(observation=OuterRef("pk"), side=Side.CENTRE, deleted_at__isnull=True)
        return (
            self.filter(side=Side.HOME, deleted_at__isnull=True)
            .filter(Q(is_question=True) | Q(seen_at__isnull=True))
            .exclude(Exists(centre_reply))
        )


class Observation(AuthoredMixin):
    """What a parent saw at home or staff saw on the group, on one day, about one theme."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="observations", verbose_name=_("child"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="observations",
        verbose_name=_("author"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    observed_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what did you see?"), max_length=TEXT_MAX_LENGTH)
    is_question = models.BooleanField(
        _("this is a question or something I'm unsure about"),
        default=False,
        help_text=_("The staff of the group will see that you would like an answer."),
    )
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-created_at"]
        indexes = [
            models.Index(fields=["child", "-observed_on", "-created_at"], name="observation_timeline"),
            models.Index(
                fields=["child", "created_at"],
                condition=Q(side="home", deleted_at__isnull=True),
                name="observation_home_open",
            ),
        ]

    def __str__(self):
        return f"{self.child} – {self.get_theme_display()} ({self.observed_on})"

    def get_absolute_url(self):
        return reverse("partnership:observation_detail", args=[self.pk])

    def can_mark_seen(self, user, side):
        return self.side == Side.HOME and side == Side.CENTRE and not self.is_deleted and self.seen_at is None

    def can_reply(self):
        return not self.is_deleted


class ObservationPhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(observation__child__in=Child.objects.visible_to(user))

    def readable_by(self, user):
        return self.filter(observation__child__in=Child.objects.readable_by(user))

    def shown(self):
        """Photos that may be shown: re-encoded, their observation still stands and the parents consent."""
        return self.filter(
            status=PhotoStatus.READY, observation__deleted_at__isnull=True, observation__child__photo_consent=True
        )


class ObservationPhoto(models.Model):
    """A photo with an observation; re-encoded on upload, stored under a random name, served by a view."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="observations/%Y/%m/", max_length=200, editable=False)
    thumbnail = models.FileField(upload_to="observations/%Y/%m/", max_length=200, editable=False)
    # The photo as it was uploaded, kept (never served) until the worker has re-encoded it; see children.photos.
    original = models.FileField(upload_to="uploads/%Y/%m/", blank=True, max_length=200, editable=False)
    status = models.CharField(max_length=8, choices=PhotoStatus.choices, default=PhotoStatus.READY, editable=False)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObservationPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"{self.observation} – {self.pk}"

    def get_absolute_url(self):
        return reverse("partnership:observation_photo", args=[self.pk])

    def get_thumbnail_url(self):
        return reverse("partnership:observation_photo_thumbnail", args=[self.pk])

    @property
    def is_ready(self):
        return self.status == PhotoStatus.READY

    @property
    def is_pending(self):
        return self.status == PhotoStatus.PENDING


class ReplyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(observation__child__in=Child.objects.visible_to(user))

    def readable_by(self, user):
        return self.filter(observation__child__in=Child.objects.readable_by(user))

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def tips(self):
        return self.filter(is_tip=True, deleted_at__isnull=True, observation__deleted_at__isnull=True)


class Reply(AuthoredMixin):
    """An answer under an observation, from either side; it can be a tip ("have you tried…")."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="replies", verbose_name=_("observation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="replies", verbose_name=_("author")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    text = models.TextField(_("your reply"), max_length=TEXT_MAX_LENGTH)
    prompt = prompt_field()
    is_tip = models.BooleanField(
        _("this is a tip"),
        default=False,
        help_text=_('A suggestion to try ("have you tried…"). The other side can say whether it worked.'),
    )

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["observation", "created_at"], name="reply_thread"),
            models.Index(
                fields=["observation"],
                condition=Q(side="centre", deleted_at__isnull=True),
                name="reply_centre_alive",
            ),
            models.Index(fields=["observation", "-created_at"], condition=Q(is_tip=True), name="reply_tip"),
        ]

    def __str__(self):
        return f"{self.observation} – {self.get_side_display()}"

    def get_absolute_url(self):
        return f"{self.observation.get_absolute_url()}#reply-{self.pk}"

    def can_record_outcome(self, side):
        """A tip is tried by the other side: staff's tips by the parents, parents' tips by staff."""
        return self.is_tip and not self.is_deleted and side != self.side


class TipOutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(tip__observation__child__in=Child.objects.visible_to(user))


class TipOutcome(models.Model):
    """The other side tried a tip: did it work? One per tip, updated when they know more."""

    class Result(models.TextChoices):
        WORKED = "worked", _("It worked")
        PARTLY = "partly", _("It partly worked")
        NOT = "not", _("It did not work")

    tip = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("tip"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("tried by")
    )
    result = models.CharField(_("did it work?"), max_length=10, choices=Result.choices)
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("What did you notice? What would you do differently?"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = TipOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("tip outcome")
        verbose_name_plural = _("tip outcomes")

    def __str__(self):
        return f"{self.tip} – {self.get_result_display()}"


def children_with_activity(children, mentor=None):
    """Annotate a Child queryset for the staff overview, in one query.

    Adds the newest activity (observation or reply), the number of home observations and questions waiting
    for the team, and when the oldest of those was written, so the longest-waiting parent comes first.
    With `mentor`, what waits for an answer about that person's own mentor children comes before the rest.
    """
    waiting = Observation.objects.awaiting_centre().filter(child=OuterRef("pk"))

    def count_of(queryset):
        return Coalesce(Subquery(queryset.order_by().values("child").annotate(n=Count("pk")).values("n")[:1]), Value(0))

    latest_observation = Observation.objects.filter(child=OuterRef("pk"), deleted_at__isnull=True).order_by(
        "-created_at"
    )
    latest_reply_at = Subquery(
        Reply.objects.filter(observation__child=OuterRef("pk"), deleted_at__isnull=True)
        .order_by()
        .values("observation__child")
        .annotate(at=Max("created_at"))
        .values("at")[:1]
    )
    latest_observation_at = Subquery(latest_observation.values("created_at")[:1])
    mine_first = []
    if mentor is not None and mentor.is_authenticated:
        children = children.annotate(
            mine_waiting=Case(When(Q(mentor=mentor) & Exists(waiting), then=Value(0)), default=Value(1))
        )
        mine_first = ["mine_waiting"]
    return children.annotate(
        waiting_count=count_of(waiting),
        waiting_questions=count_of(waiting.filter(is_question=True)),
        waiting_observations=count_of(waiting.filter(is_question=False)),
        waiting_since=Subquery(waiting.order_by().values("child").annotate(at=Min("created_at")).values("at")[:1]),
        latest_observation_at=latest_observation_at,
        latest_observation_side=Subquery(latest_observation.values("side")[:1]),
        latest_observation_theme=Subquery(latest_observation.values("theme")[:1]),
        latest_reply_at=latest_reply_at,
        # Postgres' GREATEST skips NULLs, SQLite's returns NULL: the COALESCE makes both agree.
        latest_activity_at=Coalesce(
            Greatest(latest_observation_at, latest_reply_at), latest_observation_at, latest_reply_at
        ),
    ).order_by(
        *mine_first,
        F("waiting_since").asc(nulls_last=True),
        F("latest_activity_at").desc(nulls_last=True),
        "first_name",
        "pk",
    )
