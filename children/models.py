from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
        return self.filter(
            pk__in=Membership.objects.filter(user=user, role=Membership.Role.MANAGER).values("centre")
        )

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
    def worked_on_by(self, user):
        """Groups whose children the user sees as staff or manager."""
        if not user.is_authenticated:
            return self.none()
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
    def visible_to(self, user):
        """The one scoping rule for children: own children, children of my groups, children of my centres.

        Trainers and strangers see nothing. Subqueries keep the result free of duplicates.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk__in=Guardianship.objects.filter(user=user).values("child"))
            | Q(group__in=Group.objects.worked_on_by(user))
        )

    def cared_for_by(self, user):
        """Children the user sees as a professional (staff or manager), not as a parent."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(group__in=Group.objects.worked_on_by(user))

    def current(self):
        return self.filter(end_date__isnull=True)


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

    # "About me": what helps to know the child, kept up to date by parents and staff together.
    # Stored privately under random names (see children/photos.py), served only by a view that checks access.
    photo = models.FileField(_("photo"), upload_to="children/%Y/%m/", blank=True, max_length=200, editable=False)
    photo_thumbnail = models.FileField(upload_to="children/%Y/%m/", blank=True, max_length=200, editable=False)
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
        return reverse("children:child_detail", args=[self.pk])

    @property
    def centre(self):
        return self.group.centre

    @property
    def show_photo(self):
        """The profile photo is shown only while the parents consent to photos."""
        return bool(self.photo) and self.photo_consent

    @property
    def has_profile(self):
        return any(getattr(self, name) for name in self.PROFILE_FIELDS)


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "centre", "role"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} – {self.centre} ({self.get_role_display()})"


def roles_of(user):
    """The set of roles a user holds: 'parent', 'staff', 'manager', 'trainer'.

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
            )
            .values("parent", "staff", "manager")
            .first()
        ) or {}
        roles = {role for role, held in flags.items() if held}
        if user.is_trainer:
            roles.add("trainer")
        user._roles = frozenset(roles)
    return user._roles


class AccessLog(models.Model):
    """Append-only record of a professional or trainer reading a child's data (AVG/GDPR accountability)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="access_log")
    what = models.CharField(_("what"), max_length=40)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self):
        return f"{self.user} – {self.child} – {self.what}"
