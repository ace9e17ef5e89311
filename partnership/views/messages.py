from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from children.models import Child, roles_of
from children.privacy.access import record_access

from ..forms.messages import TeamMessageForm
from ..models.messages import TeamMessage, conversations
from ..models.observations import Side, side_of
from ..models.team import TeamSettings, Weekday
from ..services.messages import mark_read, send_message, team_of

THREAD_PAGE_SIZE = 30
INBOX_PAGE_SIZE = 30


def answer_time_text(when):
    return formats.date_format(timezone.localtime(when), "l j F, H:i")


def answering_hours_text(team):
    days = ", ".join(str(Weekday(str(day)).label).lower() for day in team.weekdays)
    return _("The team answers messages on %(days)s, from %(start)s to %(end)s.") % {
        "days": days or "–",
        "start": team.answer_from.strftime("%H:%M"),
        "end": team.answer_until.strftime("%H:%M"),
    }


@login_required
def child_messages(request, pk):
    """The conversation between a child's parents and the team of its group."""
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    side = side_of(request.user, child)
    team = TeamSettings.objects.for_centre(child.group.centre)
    form = TeamMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message, created = send_message(form, child, request.user)
        if not created:
            messages.info(request, _("This message had already been sent."))
        elif side == Side.HOME and hasattr(message, "notice"):
            messages.success(
                request,
                _("Your message has been sent. The team answers messages from %(when)s.")
                % {"when": answer_time_text(message.notice.due_at)},
            )
        else:
            messages.success(request, _("Your message has been sent."))
        return redirect(message.get_absolute_url())
    record_access(request, child, "messages")
    if side == Side.CENTRE:
        mark_read(child, request.user)
    thread = TeamMessage.objects.visible_to(request.user).filter(child=child).select_related("author", "read_by")
    page = Paginator(thread.order_by("-created_at", "-pk"), THREAD_PAGE_SIZE).get_page(request.GET.get("page"))
    next_answer = team.next_answer_time()
    return render(
        request,
        "partnership/messages/child_messages.html",
        {
            "child": child,
            "form": form,
            "page": page,
            "thread": list(reversed(page.object_list)),
            "viewer_side": side,
            "team": team_of(child),
            "mentor_id": getattr(child, "mentor_id", None),
            "hours": answering_hours_text(team),
            "answering_now": team.is_answering(),
            "next_answer": answer_time_text(next_answer) if next_answer else None,
        },
    )


@login_required
def message_inbox(request):
    """The conversations I take part in: for staff those of their groups, unread first; parents their own."""
    roles = roles_of(request.user)
    if not roles & {"parent", "staff", "manager"}:
        raise Http404
    children = Child.objects.visible_to(request.user).current().select_related("group")
    page = Paginator(conversations(children), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    own = []
    if "parent" in roles:
        own = list(children.filter(guardianships__user=request.user).order_by("first_name", "pk"))
    return render(request, "partnership/messages/inbox.html", {"page": page, "own_children": own})
