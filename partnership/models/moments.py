"""Group moments: staff write once for the whole group or for chosen children, with photos.

A moment appears on the timeline of each chosen child and on their parents' home as one item. Per photo, staff
mark which children are in it. A parent sees a photo only when their own child is in it, or when it shows no
child at all; a photo with any child whose parents did not consent to photos in group communication
(`Child.group_photo_consent`, the one source of truth) is shown to no parent. A photo whose children have not
been marked yet is shown to no parent either. Parents reply per child: a thread is read by the staff and by that
child's own family only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from children.models import Child, Group, Guardianship
from children.photos import PhotoStatus
from children.scope import cached_scope

from .observations import TEXT_MAX_LENGTH, AuthoredMixin, Side, Theme
from .prompts import prompt_field

MAX_MOMENT_PHOTOS = 6


def has_no_family(user):
    """True when the request already knows the person is no one's parent or family (most staff)."""
    known = cached_scope(user)
    return known is not None and not (known.own_child_ids or known.followed_child_ids)


def family_children(user):
    """The children whose family the user is: as a parent, or following a child as wider family.

    Within a request the ids worked out once for the person (children.scope); otherwise a subquery."""
    if (known := cached_scope(user)) is not None:
        return Child.objects.filter(pk__in=known.own_child_ids + known.followed_child_ids).values("pk")
    return Child.objects.filter(
        Q(pk__in=Guardianship.objects.filter(user=user).values("child"))
        | Q(pk__in=Child.objects.followed_by(user, cached=False).values("pk"))
    ).values("pk")


class GroupMomentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and managers: the moments of their groups. Parents: the moments that include their own child."""
        if not user.is_authenticated:
            return self.none()
        staff = Q(group__in=Group.objects.worked_on_by(user))
        if has_no_family(user):  # the staff part is all there is
            return self.filter(staff)
        own = family_children(user)
        included = GroupMoment.children.through.objects.filter(child__in=own).values("groupmoment")
        return self.filter(staff | Q(pk__in=included))

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def for_child(self, child):
        return self.filter(children=child)


class GroupMoment(AuthoredMixin):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="moments", verbose_name=_("group"))
    children = models.ManyToManyField(Child, related_name="group_moments", verbose_name=_("children"))
    for_whole_group = models.BooleanField(_("for the whole group"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="group_moments",
        verbose_name=_("author"),
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("what happened?"), max_length=TEXT_MAX_LENGTH)

    objects = GroupMomentQuerySet.as_manager()

    # A moment belongs to no single child: deleting one child's data leaves it for the others.
    side = Side.CENTRE
    is_moment = True

    class Meta:
        verbose_name = _("group moment")
        verbose_name_plural = _("group moments")
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["group", "-happened_on", "-created_at"], name="moment_group_days")]

    def __str__(self):
        return f"{self.group} – {self.get_theme_display()} ({self.happened_on})"

    def get_absolute_url(self):
        return reverse("partnership:moment_detail", args=[self.pk])

    def can_reply(self):
        return not self.is_deleted


class MomentPhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and managers: every photo of their groups' moments. Parents: see `shown_to_family`."""
        if not user.is_authenticated:
            return self.none()
        staff = Q(moment__group__in=Group.objects.worked_on_by(user))
        if has_no_family(user):
            return self.filter(staff)
        own = family_children(user)
        return self.filter(staff | Q(pk__in=self.model.objects.shown_to_family(own).values("pk")))

    def ready(self):
        return self.filter(status=PhotoStatus.READY, moment__deleted_at__isnull=True)

    def shown_to_family(self, child_ids):
        """Photos the family of these children may see: of a moment that includes one of the children, marked,
        showing one of the children or no child at all, and showing no child without group-photo consent."""
        through = MomentPhoto.children.through
        without_consent = through.objects.filter(momentphoto=OuterRef("pk"), child__group_photo_consent=False)
        anyone = through.objects.filter(momentphoto=OuterRef("pk"))
        own_in_it = through.objects.filter(momentphoto=OuterRef("pk"), child__in=child_ids)
        moment_of_family = GroupMoment.children.through.objects.filter(child__in=child_ids).values("groupmoment")
        return (
            self.filter(
                marked_at__isnull=False,
                status=PhotoStatus.READY,
                moment__deleted_at__isnull=True,
                moment__in=moment_of_family,
            )
            .filter(Q(Exists(own_in_it)) | ~Q(Exists(anyone)))
            .exclude(Exists(without_consent))
        )

    def for_family_download(self, child_ids):
        """What a family downloads: the photos its child is marked in, without those that also show another child
        whose parents gave no consent for group photos."""
        through = MomentPhoto.children.through
        marked = through.objects.filter(momentphoto=OuterRef("pk"), child__in=child_ids)
        refused = through.objects.filter(momentphoto=OuterRef("pk"), child__group_photo_consent=False).exclude(
            child__in=child_ids
        )
        return self.filter(Exists(marked)).exclude(Exists(refused))


class MomentPhoto(models.Model):
    """A photo with a group moment, and the children in it; stored like an observation's photo."""

    moment = models.ForeignKey(GroupMoment, on_delete=models.CASCADE, related_name="photos")
    children = models.ManyToManyField(
        Child, blank=True, related_name="moment_photos", verbose_name=_("children in this photo")
    )
    marked_at = models.DateTimeField(
        _("children marked at"), null=True, blank=True, help_text=_("Until then the photo is shown to no parent.")
    )
    image = models.FileField(upload_to="moments/%Y/%m/", max_length=200, editable=False)
    thumbnail = models.FileField(upload_to="moments/%Y/%m/", max_length=200, editable=False)
    original = models.FileField(upload_to="uploads/%Y/%m/", blank=True, max_length=200, editable=False)
    status = models.CharField(max_length=8, choices=PhotoStatus.choices, default=PhotoStatus.READY, editable=False)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MomentPhotoQuerySet.as_manager()

    # Deleting a child's data deletes the photos it is marked in (children.privacy follows this flag).
    deleted_with_marked_child = True

    class Meta:
        verbose_name = _("group photo")
        verbose_name_plural = _("group photos")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.moment} – {self.pk}"

    def get_absolute_url(self):
        return reverse("partnership:moment_photo", args=[self.pk])

    def get_thumbnail_url(self):
        return reverse("partnership:moment_photo_thumbnail", args=[self.pk])

    @property
    def is_ready(self):
        return self.status == PhotoStatus.READY

    @property
    def is_pending(self):
        return self.status == PhotoStatus.PENDING

    def hidden_reason(self, marked=None):
        """Why no parent sees this photo (for staff), or '' when parents of the marked children see it."""
        marked = list(self.children.all()) if marked is None else marked
        if self.marked_at is None:
            return _("Mark who is in this photo first; until then no parent sees it.")
        refused = [child.first_name for child in marked if not child.group_photo_consent]
        if refused:
            return _("Shown to no parent: no consent for photos in group communication for %(children)s.") % {
                "children": ", ".join(refused)
            }
        return ""


class MomentReplyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A thread per child: staff of the child's group, and the child's own family (parents, wider family)."""
        return self.filter(child__in=Child.objects.readable_by(user))

    def alive(self):
        return self.filter(deleted_at__isnull=True)


class MomentReply(AuthoredMixin):
    """A reply under a group moment, in the thread of one child: the family and the staff read it."""

    moment = models.ForeignKey(
        GroupMoment, on_delete=models.CASCADE, related_name="replies", verbose_name=_("group moment")
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="moment_replies", verbose_name=_("child"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moment_replies",
        verbose_name=_("author"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    text = models.TextField(_("your reply"), max_length=TEXT_MAX_LENGTH)
    prompt = prompt_field()

    objects = MomentReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply to a group moment")
        verbose_name_plural = _("replies to group moments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["moment", "child", "created_at"], name="moment_reply_thread")]

    def __str__(self):
        return f"{self.moment} – {self.child}"

    def get_absolute_url(self):
        return f"{self.moment.get_absolute_url()}#moment-reply-{self.pk}"
