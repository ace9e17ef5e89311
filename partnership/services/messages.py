"""Messages to the team: sending, marking read, and telling the team only during its answering hours."""

from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from common.dispatch import dispatch_due
from notifications.services import notify

from ..models.messages import MessageNotice, TeamMessage
from ..models.observations import Side, people_of_side, side_of
from ..models.team import TeamSettings


def team_of(child):
    """The staff of the child's group, the mentor first where there is one."""
    staff = list(
        User.objects.filter(memberships__groups=child.group_id, memberships__role="staff", is_active=True)
        .distinct()
        .order_by("name", "email")
    )
    mentor_id = getattr(child, "mentor_id", None)
    return sorted(staff, key=lambda user: user.pk != mentor_id)


def send_message(form, child, author):
    """Save a valid TeamMessageForm. Returns (message, created); a double submit creates one message.

    A parent's message reaches the team at once during its answering hours, otherwise at the next opening
    hour (a MessageNotice row). A message from the team reaches the parents at once, and counts as the team
    having read everything before it.
    """
    side = side_of(author, child)

    def save(token):
        message = form.save(commit=False)
        message.child, message.author, message.side, message.submission_token = child, author, side, token
        message.save()
        if side == Side.HOME:
            team = TeamSettings.objects.for_centre(child.group.centre)
            answer_at = team.next_answer_time(message.created_at)
            if answer_at is None or answer_at <= message.created_at:
                _notify_team(message)
            else:
                MessageNotice.objects.create(message=message, due_at=answer_at)
        else:
            mark_read(child, author)
            _notify_parents(message)
        return message

    return form.save_once(TeamMessage, author, save)


def mark_read(child, user):
    """Someone of the team opened the conversation: the parents' unread messages are read now, by them."""
    if side_of(user, child) != Side.CENTRE:
        return 0
    return TeamMessage.objects.filter(child=child).unread_by_team().update(read_at=timezone.now(), read_by=user)


def _author_name(user):
    return str(user) if user else gettext("Someone")


def _notify_team(message):
    child = message.child

    def text():
        return gettext("%(author)s sent the team a message about %(child)s.") % {
            "author": _author_name(message.author),
            "child": child.first_name,
        }

    notify(people_of_side(child, Side.CENTRE), text, message.get_absolute_url(), exclude=message.author)


def _notify_parents(message):
    child = message.child

    def text():
        return gettext("%(author)s of the team answered about %(child)s.") % {
            "author": _author_name(message.author),
            "child": child.first_name,
        }

    notify(people_of_side(child, Side.HOME), text, message.get_absolute_url(), exclude=message.author)


def _send_notice(notice):
    """Tell the team now; skipped when someone of the team already read the message in the meantime."""
    if notice.message.read_at is not None:
        return False
    _notify_team(notice.message)
    return True


def dispatch_message_notices(now=None, batch_size=50):
    """Called every minute by the reminder dispatcher: tell the team of messages that came in after hours."""
    return dispatch_due(MessageNotice.objects.due(now or timezone.now()), _send_notice, batch_size=batch_size)
