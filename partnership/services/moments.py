"""Sharing a group moment and replying to it: the rows and the notifications in one transaction."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from notifications.services import notify

from ..models.observations import Side, people_of_side


def _author_name(user):
    return str(user) if user else gettext("Someone")


def share_moment(form, author):
    """Save a valid MomentForm and tell the parents of the chosen children. Returns (moment, created)."""
    with transaction.atomic():
        moment, created = form.save_new(author=author)
        if created:
            notify_new_moment(moment)
    return moment, created


def notify_new_moment(moment):
    """The parents of each chosen child hear of it once, without the moment's text."""
    from accounts.models import User

    children = moment.children.all()
    parents = User.objects.filter(
        Q(guardianships__child__in=children) | Q(family_of__child__in=children, family_of__revoked_at__isnull=True),
        is_active=True,
    ).distinct()

    def message():
        return gettext("%(author)s shared a moment of group %(group)s (%(theme)s).") % {
            "author": _author_name(moment.author),
            "group": moment.group.name,
            "theme": str(moment.get_theme_display()).lower(),
        }

    notify(parents, message, moment.get_absolute_url(), exclude=moment.author)


def reply_to_moment(form, author):
    with transaction.atomic():
        reply, created = form.save_new(author=author)
        if created:
            notify_moment_reply(reply)
    return reply, created


def notify_moment_reply(reply):
    """A family's reply goes to the staff of the group; the staff's reply to that child's family only."""
    child = reply.child
    # A staff reply reaches the child's parents and the wider family who follow this child.
    recipients = people_of_side(
        child, Side.CENTRE if reply.side == Side.HOME else Side.HOME, with_family=reply.side == Side.CENTRE
    )
    if reply.side == Side.HOME and reply.moment.author is not None:
        recipients.append(reply.moment.author)

    def message():
        return gettext("%(author)s replied to a group moment about %(child)s.") % {
            "author": _author_name(reply.author),
            "child": child.first_name,
        }

    notify(recipients, message, reply.get_absolute_url(), exclude=reply.author)
