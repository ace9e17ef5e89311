from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.concurrency import version_field

from .photos import PhotoStatus
from .scope import cached_scope


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CentreQuerySet(models.QuerySet):
    def managed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Membership.objects.filter(user=user, role=Membership.Role.MANAGER).values("centre"))

    def worked_at_by(self, user):
        """Centres where the user is staff or manager."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Membership.objects.filter(user=user).values("centre"))

    def visible_to(self, user):
        """Centres the user belongs to: as staff/manager, or as parent of a child there."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk__in=Membership.objects.filter(user=user).values("centre"))
            | Q(pk__in=Guardianship.objects.filter(user=user).values("child__group__centre"))
        )


class Centre(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="centres", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Where parents can go with questions, also about privacy.")
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep a child's data for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After a child's last day, its data is kept this long and then deleted with its photos."),
    )
    handover_from_months = models.PositiveSmallIntegerField(
        _("handover to school from (months of age)"),
        default=45,
        validators=[MinValueValidator(24), MaxValueValidator(84)],
        help_text=_("From this age the mentor can draft the handover to school (45 months is 3 years 9 months)."),
    )
    version = version_field()

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("children:centre_detail", args=[self.pk])


class GroupQuerySet(models.QuerySet):
    def worked_on_by(self, user, cached=True):
        """Groups whose children the user sees as staff or manager."""
        if not user.is_authenticated:
            return self.none()
        if cached and (known := cached_scope(user)) is not None:
            return self.filter(pk__in=known.group_ids)
        return self.filter(
            Q(pk__in=Membership.groups.through.objects.filter(membership__user=user).values("group"))
            | Q(centre__in=Centre.objects.managed_by(user))
        )

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk__in=Membership.groups.through.objects.filter(membership__user=user).values("group"))
            | Q(centre__in=Centre.objects.managed_by(user))
            | Q(pk__in=Guardianship.objects.filter(user=user).values("child__group"))
        )


class Group(models.Model):
    """A group (stamgroep) of a centre, e.g. 'Dolfijnen'."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="groups", verbose_name=_("centre"))
    name = models.CharField(_("name"), max_length=100)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="unique_group_name_per_centre")]

    def __str__(self):
        return self.name


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user, cached=True):
        """The one scoping rule for children: own children, children of my groups, children of my centres.

        Trainers and strangers see nothing. Subqueries keep the result free of duplicates. Within a request the
        ids are worked out once (children.scope); `cached=False` always builds the subqueries.
        """
        if not user.is_authenticated:
            return self.none()
        if cached and (known := cached_scope(user)) is not None:  # worked out once for this request: filter on ids
            return self.filter(Q(pk__in=known.own_child_ids) | Q(group_id__in=known.group_ids))
        return self.filter(
            Q(pk__in=Guardianship.objects.filter(user=user).values("child"))
            | Q(group__in=Group.objects.worked_on_by(user, cached=False))
        )

    def followed_by(self, user, cached=True):
        """Children the user follows as wider family (a grandparent, a co-parent): read and reply only."""
        if not user.is_authenticated:
            return self.none()
        if cached and (known := cached_scope(user)) is not None:
            return self.filter(pk__in=known.followed_child_ids)
        return self.filter(pk__in=FamilyMember.objects.active().filter(user=user).values("child"))

    def readable_by(self, user):
        """What the user may read: `visible_to`, plus the children they follow as wider family.

        Only pages for reading and replying (the child page, the timeline, group moments) use this scope;
        everything that changes a child's profile, agreements, consent or privacy keeps to `visible_to`.
        """
        if not user.is_authenticated:
            return self.none()
        if (known := cached_scope(user)) is not None:
            own = known.own_child_ids + known.followed_child_ids
            return self.filter(Q(pk__in=own) | Q(group_id__in=known.group_ids))
        return self.filter(
            Q(pk__in=self.visible_to(user, cached=False).values("pk"))
            | Q(pk__in=self.followed_by(user, cached=False).values("pk"))
        )

    def cared_for_by(self, user):
        """Children the user sees as a professional (staff or manager), not as a parent."""
        if not user.is_authenticated:
            return self.none()
        if (known := cached_scope(user)) is not None:
            return self.filter(group_id__in=known.group_ids)
        return self.filter(group__in=Group.objects.worked_on_by(user, cached=False))

    def current(self):
        return self.filter(end_date__isnull=True)

    def mentored_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(mentor=user)

    def without_mentor(self):
        return self.filter(mentor__isnull=True)

    def mentor_gone(self):
        """Children whose mentor no longer works on the child's group (left it, or left the centre)."""
        on_group = Membership.objects.filter(
            user=OuterRef("mentor"), role=Membership.Role.STAFF, groups=OuterRef("group")
        )
        return self.filter(mentor__isnull=False).exclude(Exists(on_group))

    def needing_mentor(self):
        """Children without a mentor, or whose mentor left: to (re)assign."""
        return self.filter(Q(pk__in=self.without_mentor().values("pk")) | Q(pk__in=self.mentor_gone().values("pk")))


def mentor_candidates(group):
    """Who may be a child's mentor: the active pedagogical staff of the child's group."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(role=Membership.Role.STAFF, groups=group).values("user"),
        )
        .order_by("name", "email")
    )


class Child(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="children", verbose_name=_("group"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("The last day at the centre, when the child leaves.")
    )
    photo_consent = models.BooleanField(
        _("photos on the timeline"), default=False, help_text=_("The parents agree to photos of this child.")
    )
    group_photo_consent = models.BooleanField(
        _("photos in group communication"),
        default=False,
        help_text=_("The parents agree to photos of this child in communication to the whole group."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor_children",
        verbose_name=_("mentor"),
        help_text=_("The pedagogical staff member of the child's group who is the parents' first contact."),
    )

    # "About me": what helps to know the child, kept up to date by parents and staff together.
    # Stored privately under random names (see children/photos.py), served only by a view that checks access.
    photo = models.FileField(_("photo"), upload_to="children/%Y/%m/", blank=True, max_length=200, editable=False)
    photo_thumbnail = models.FileField(upload_to="children/%Y/%m/", blank=True, max_length=200, editable=False)
    # A new photo as it was uploaded, kept (never served) until the worker has re-encoded it into `photo`.
    photo_original = models.FileField(upload_to="uploads/%Y/%m/", blank=True, max_length=200, editable=False)
    photo_status = models.CharField(max_length=8, choices=PhotoStatus.choices, blank=True, editable=False)
    routines = models.TextField(
        _("daily rhythm"), blank=True, max_length=2000, help_text=_("Waking up, naps, meals, bath time.")
    )
    sleeping = models.TextField(
        _("sleeping"), blank=True, max_length=2000, help_text=_("How the child falls asleep best, what helps.")
    )
    eating = models.TextField(
        _("eating and drinking"),
        blank=True,
        max_length=2000,
        help_text=_("Favourite food, allergies, diets, how the child eats."),
    )
    comfort_items = models.TextField(
        _("comfort"), blank=True, max_length=2000, help_text=_("A cuddly toy, a dummy, a song, what comforts.")
    )
    languages = models.CharField(
        _("languages spoken at home"), blank=True, max_length=200, help_text=_("For example: Dutch and Turkish.")
    )
    likes = models.TextField(
        _("what the child likes"), blank=True, max_length=2000, help_text=_("Games, songs, animals, friends.")
    )
    good_to_know = models.TextField(
        _("good to know"), blank=True, max_length=2000, help_text=_("Anything else that helps to know the child.")
    )
    version = version_field()

    objects = ChildQuerySet.as_manager()
    history = HistoricalRecords()

    PROFILE_FIELDS = ("routines", "sleeping", "eating", "comfort_items", "languages", "likes", "good_to_know")

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["first_name", "last_name"]
        indexes = [models.Index(fields=["group", "first_name"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_absolute_url(self):
        return reverse("partnership:child_detail", args=[self.pk])

    @property
    def centre(self):
        return self.group.centre

    @property
    def allows_timeline_photos(self):
        """The parents agree to photos of this child on its own timeline."""
        return self.photo_consent

    @property
    def allows_group_photos(self):
        """The parents agree to photos of this child in communication to the whole group."""
        return self.group_photo_consent

    @property
    def show_photo(self):
        """The profile photo is shown only while the parents consent to photos."""
        return bool(self.photo) and self.photo_consent

    @property
    def photo_pending(self):
        """A new photo is being processed: pages show a placeholder in its place."""
        return self.photo_status == PhotoStatus.PENDING and self.photo_consent

    def clean(self):
        super().clean()
        if self.mentor_id and self.group_id and not mentor_candidates(self.group_id).filter(pk=self.mentor_id).exists():
            raise ValidationError({"mentor": _("The mentor must be a pedagogical staff member of the child's group.")})

    @property
    def mentor_is_current(self):
        """The mentor still works on the child's group (else the child is listed for a new mentor)."""
        return bool(self.mentor_id) and mentor_candidates(self.group_id).filter(pk=self.mentor_id).exists()

    def profile_items(self):
        """The filled-in "about me" fields as (label, text) pairs, in form order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.PROFILE_FIELDS
            if getattr(self, name)
        ]


class Guardianship(models.Model):
    """A parent or carer of a child."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [models.UniqueConstraint(fields=["user", "child"], name="unique_guardianship")]

    def __str__(self):
        return f"{self.user} – {self.child}"


class Membership(models.Model):
    """A professional's place at a centre: staff on some groups, or manager of the whole centre."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Pedagogical staff")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    groups = models.ManyToManyField(Group, blank=True, related_name="memberships", verbose_name=_("groups"))
    organisation_wide = models.BooleanField(
        _("for the whole organisation"),
        default=False,
        help_text=_(
            "A manager who also sees and books trainings for every centre of the organisation, "
            "with their participants. Without it, a manager sees only the bookings of their own centre."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "centre", "role"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} – {self.centre} ({self.get_role_display()})"


def roles_of(user):
    """The set of roles a user holds: 'parent', 'staff', 'manager', 'trainer', 'family' (wider family).

    One query, remembered on the user object for the rest of the request.
    """
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_roles"):
        flags = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                parent=Exists(Guardianship.objects.filter(user=OuterRef("pk"))),
                staff=Exists(Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.STAFF)),
                manager=Exists(Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.MANAGER)),
                family=Exists(FamilyMember.objects.active().filter(user=OuterRef("pk"))),
            )
            .values("parent", "staff", "manager", "family")
            .first()
        ) or {}
        roles = {role for role, held in flags.items() if held}
        if user.is_trainer:
            roles.add("trainer")
        user._roles = frozenset(roles)
    return user._roles


class AppendOnlyError(Exception):
    """The access log is never changed or deleted row by row; it is only pruned when entries are old."""


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Managers see the log of their centres' children; a parent sees the log of their own children."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(child__group__centre__in=Centre.objects.managed_by(user))
            | Q(child__in=Guardianship.objects.filter(user=user).values("child"))
        )

    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only; use prune().")

    def prune(self, before):
        """Remove entries older than `before`, the log's own retention period. Returns how many went."""
        return models.QuerySet(self.model, using=self.db).filter(at__lt=before)._raw_delete(self.db)


class AccessLog(models.Model):
    """Append-only record of a professional or trainer reading a child's data (AVG/GDPR accountability)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="access_log")
    what = models.CharField(_("what"), max_length=40)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self):
        return f"{self.user} – {self.child} – {self.what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("An access log entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("An access log entry cannot be deleted.")

    WHAT_LABELS = {
        "profile": _("profile"),
        "timeline": _("timeline"),
        "photo": _("photo"),
        "observation": _("observation"),
        "agreements": _("agreements"),
        "export": _("data download"),
        "handover": _("handover to school"),
        "handover_pdf": _("handover to school, downloaded"),
        "handover_school": _("handover to school, opened by the school"),
        "absences": _("absences"),
        "messages": _("messages to the team"),
        "moment": _("group moment"),
        "family_access": _("access as family, given"),
        "family_revoked": _("access as family, revoked"),
    }

    def get_what_display(self):
        return self.WHAT_LABELS.get(self.what, self.what)


class ConsentChange(models.Model):
    """One answer of a parent about photos of their child: kept for good, so every change can be traced."""

    class Kind(models.TextChoices):
        TIMELINE = "photo_consent", _("Photos on the timeline")
        GROUP = "group_photo_consent", _("Photos in group communication")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consent_changes", verbose_name=_("child"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consent_changes",
        verbose_name=_("changed by"),
    )
    kind = models.CharField(_("consent for"), max_length=30, choices=Kind.choices)
    old_value = models.BooleanField(_("before"), null=True, help_text=_("Empty when asked for the first time."))
    new_value = models.BooleanField(_("after"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["child", "-changed_at"])]

    def __str__(self):
        return f"{self.child} – {self.get_kind_display()}: {self.new_value}"


class AccountDeletionRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(confirmed_at__isnull=True, cancelled_at__isnull=True)

    def visible_to(self, user):
        """Managers see the requests of parents at their centres."""
        return self.filter(centres__in=Centre.objects.managed_by(user)).distinct()


class AccountDeletionRequest(models.Model):
    """A parent asks to have their account removed; a manager of their child's centre confirms."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_requests", verbose_name=_("person")
    )
    centres = models.ManyToManyField(Centre, related_name="deletion_requests", verbose_name=_("centres"))
    reason = models.TextField(_("anything you want to tell the centre?"), blank=True, max_length=1000)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = AccountDeletionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("account deletion request")
        verbose_name_plural = _("account deletion requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(confirmed_at__isnull=True, cancelled_at__isnull=True),
                name="one_pending_deletion_request_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.requested_at:%Y-%m-%d})"

    @property
    def is_pending(self):
        return self.confirmed_at is None and self.cancelled_at is None


class RetentionNotice(models.Model):
    """The parents were told that their child's data will be deleted on `delete_on`: sent once per date."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="retention_notices")
    delete_on = models.DateField(_("to be deleted on"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("retention notice")
        verbose_name_plural = _("retention notices")
        constraints = [models.UniqueConstraint(fields=["child", "delete_on"], name="one_retention_notice_per_date")]

    def __str__(self):
        return f"{self.child} – {self.delete_on}"


class FamilyMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user):
        """Who has access to a child: seen by its parents, its staff and managers, and the family member."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(child__in=Child.objects.visible_to(user)) | Q(user=user))


class FamilyMember(models.Model):
    """Someone of the wider family (a grandparent, a co-parent) who follows one child, invited by a parent.

    They read the child's timeline, group moments and photos (as consent allows) and reply, but change nothing
    else about the child, and see no other child. Either parent can revoke the access.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_members", verbose_name=_("child"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_of", verbose_name=_("person")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("access since"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("access revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = FamilyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"], condition=Q(revoked_at__isnull=True), name="one_active_family_access"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.child}"

    @property
    def is_active(self):
        return self.revoked_at is None
