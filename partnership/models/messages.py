"""Messages to the team: one conversation per child between its parents and the team of its group.

Not to one person: every staff member of the group reads and answers. The parent sees when the team read
their message. Outside the centre's answering hours the team is told at the next opening hour, through a
`MessageNotice` row that the periodic dispatcher sends when it is due.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from children.models import Child

from .observations import Side

TEXT_MAX_LENGTH = 5000


class TeamMessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Messages of the children the user may see, like observations."""
        return self.filter(child__in=Child.objects.visible_to(user))

    def unread_by_team(self):
        return self.filter(side=Side.HOME, read_at__isnull=True)


class TeamMessage(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="team_messages", verbose_name=_("child"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="team_messages",
        verbose_name=_("author"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    text = models.TextField(_("your message"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read by the team at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("read by"),
    )
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = TeamMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message to the team")
        verbose_name_plural = _("messages to the team")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["child", "created_at"], name="team_message_thread"),
            models.Index(fields=["child"], condition=Q(side="home", read_at__isnull=True), name="team_message_unread"),
        ]

    def __str__(self):
        return f"{self.child} – {self.get_side_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return f"{reverse('partnership:child_messages', args=[self.child_id])}#message-{self.pk}"

    @property
    def is_home(self):
        return self.side == Side.HOME


class MessageNoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(message__child__in=Child.objects.visible_to(user))

    def due(self, now):
        return self.filter(due_at__lte=now, sent_at__isnull=True).select_related(
            "message__child__group", "message__author"
        )


class MessageNotice(models.Model):
    """The team is to be told of a parent's message at `due_at` (the next opening hour); sent once."""

    message = models.OneToOneField(TeamMessage, on_delete=models.CASCADE, related_name="notice")
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = MessageNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("message notice")
        verbose_name_plural = _("message notices")
        indexes = [models.Index(fields=["due_at"], condition=Q(sent_at__isnull=True), name="message_notice_unsent")]

    def __str__(self):
        return f"{self.message} – {self.due_at:%Y-%m-%d %H:%M}"


def conversations(children):
    """Annotate a Child queryset with its conversation: number of messages, unread by the team, the latest."""
    latest = TeamMessage.objects.filter(child=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        children.annotate(
            message_count=Count("team_messages", distinct=True),
            unread_count=Count(
                "team_messages", filter=Q(team_messages__side=Side.HOME, team_messages__read_at__isnull=True)
            ),
            latest_message_at=Max("team_messages__created_at"),
            latest_message_side=Subquery(latest.values("side")[:1]),
        )
        .filter(Exists(TeamMessage.objects.filter(child=OuterRef("pk"))))
        .order_by("-unread_count", "-latest_message_at", "pk")
    )
