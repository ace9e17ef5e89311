import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Centre, Guardianship, Membership


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: parent, staff, manager and/or trainer. Logs in with email."""

    class NotificationPreference(models.TextChoices):
        INSTANT = "instant", _("Email at once")
        DIGEST = "digest", _("A daily digest by email")
        PORTAL = "portal", _("In the portal only")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    notification_preference = models.CharField(
        _("notifications"),
        max_length=10,
        choices=NotificationPreference.choices,
        default=NotificationPreference.INSTANT,
    )
    is_trainer = models.BooleanField(
        _("trainer"), default=False, help_text=_("Works for the training provider; never sees children's data.")
    )
    # When the person last opened their home page: what came in after it is marked new there.
    last_home_seen_at = models.DateTimeField(_("home page last seen at"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name.split() or [self.email])[0]


def _new_token():
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, user):
        """Invitations a manager may see: those of the centres they manage; a parent, the family invitations
        for their own children."""
        own = Guardianship.objects.filter(user=user).values("child") if user.is_authenticated else []
        return self.filter(
            models.Q(centre__in=Centre.objects.managed_by(user)) | models.Q(role=Invitation.Role.FAMILY, child__in=own)
        )


class Invitation(models.Model):
    """An emailed, single-use link that lets a person join one centre in one role."""

    class Role(models.TextChoices):
        PARENT = "parent", _("Parent")
        STAFF = "staff", _("Pedagogical staff")
        MANAGER = "manager", _("Manager")
        FAMILY = "family", _("Family")

    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    centre = models.ForeignKey("children.Centre", on_delete=models.CASCADE, related_name="invitations")
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("child"),
    )
    groups = models.ManyToManyField("children.Group", blank=True, verbose_name=_("groups"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["centre", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="parent") | models.Q(child__isnull=False),
                name="parent_invitation_has_child",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="family") | models.Q(child__isnull=False),
                name="family_invitation_has_child",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    def get_absolute_url(self):
        return reverse("accounts:accept_invitation", args=[self.token])

    @property
    def status(self):
        if self.accepted_at:
            return _("accepted")
        if self.revoked_at:
            return _("revoked")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("pending")

    @property
    def is_usable(self):
        return not self.accepted_at and not self.revoked_at and self.expires_at > timezone.now()

    def accept(self, user):
        """Give `user` the role this invitation offers, once. Returns False when no longer usable."""
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=self.pk)
            if not invitation.is_usable:
                return False
            if invitation.role == self.Role.PARENT:
                Guardianship.objects.get_or_create(user=user, child=invitation.child)
            elif invitation.role == self.Role.FAMILY:
                from children.family import grant_family_access

                grant_family_access(invitation.child, user, invited_by=invitation.invited_by)
            else:
                membership, _created = Membership.objects.get_or_create(
                    user=user, centre=invitation.centre, role=invitation.role
                )
                membership.groups.add(*invitation.groups.all())
            if invitation.name and not user.name:
                user.name = invitation.name
                user.save(update_fields=["name"])
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = user
            invitation.save(update_fields=["accepted_at", "accepted_by"])
        self.accepted_at, self.accepted_by = invitation.accepted_at, user
        return True
