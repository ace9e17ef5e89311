from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.models import Child, Group, roles_of
from children.privacy.access import record_access
from notifications import outbox

from ..forms.observations import ObservationForm, ReplyEditForm, ReplyForm, TipOutcomeForm
from ..models.absences import absent_on_page, with_absences
from ..models.observations import (
    Observation,
    ObservationPhoto,
    Reply,
    Side,
    TipOutcome,
    children_with_activity,
    side_of,
)
from ..models.prompts import Prompt
from ..tasks import notify_new_observation, notify_new_reply, notify_tip_outcome

OVERVIEW_PAGE_SIZE = 50
TIPS_PAGE_SIZE = 20


def _next_url(request, default):
    """Where to go after an action: a safe `next` from the form (e.g. the filtered timeline), else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path on this site: a bare word would be taken for a view name by redirect().
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return default


def _with_anchor(url, anchor):
    return f"{url.split('#')[0]}#{anchor}"


def _card_context(request, observation, reply_form=None):
    side = side_of(request.user, observation.child)
    return {
        "observation": observation,
        "child": observation.child,
        "viewer_side": side,
        "reply_form": reply_form or ReplyForm(observation=observation, side=side),
    }


def _render_card(request, observation, reply_form=None):
    """The observation card alone, for htmx swaps after a reply."""
    observation = Observation.objects.readable_by(request.user).for_timeline().get(pk=observation.pk)
    context = _card_context(request, observation, reply_form)
    context["next"] = _next_url(request, observation.get_absolute_url())
    context["show_messages"] = True
    return render(request, "partnership/observations/_observation.html", context)


def _observation_title(side, child):
    """Parents are asked in their own words; staff keep the professional 'observation'."""
    if side == Side.HOME:
        return _("What did you see at home with %(child)s?") % {"child": child.first_name}
    return _("New observation about %(child)s") % {"child": child}


@login_required
def observation_create(request, pk):
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    side = side_of(request.user, child)
    form = ObservationForm(request.POST or None, request.FILES or None, child=child, side=side)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the observation and its notifications in the outbox, together
            observation, created = form.save_new(author=request.user)
            if created:
                outbox.add(notify_new_observation, observation.pk)
        if created:
            if side == Side.HOME:
                messages.success(request, _("Thank you for telling what you saw. The group can read it now."))
            else:
                messages.success(request, _("Your observation has been saved."))
            if form.cleaned_data.get("photos") and not child.photo_consent:
                messages.warning(
                    request,
                    _(
                        "The parents of %(child)s have not given consent for photos. "
                        "Your photos are kept, but nobody sees them until they do."
                    )
                    % {"child": child.first_name},
                )
        else:
            messages.info(request, _("This observation had already been saved."))
        return redirect(_with_anchor(child.get_absolute_url(), f"observation-{observation.pk}"))
    return render(
        request,
        "partnership/observations/observation_form.html",
        {"form": form, "child": child, "side": side, "title": _observation_title(side, child)},
    )


@login_required
def observation_detail(request, pk):
    observation = get_object_or_404(
        Observation.objects.readable_by(request.user).select_related("child__group__centre").for_timeline(), pk=pk
    )
    record_access(request, observation.child, "timeline")
    reply_form = None
    if (prompt := request.GET.get("prompt")) in Prompt.values:
        # A parent chose a question under the observation: the reply starts from it.
        side = side_of(request.user, observation.child)
        reply_form = ReplyForm(observation=observation, side=side, initial={"prompt": prompt})
    context = _card_context(request, observation, reply_form)
    context["next"] = observation.get_absolute_url()
    return render(request, "partnership/observations/observation_detail.html", context)


@login_required
def observation_edit(request, pk):
    observation = get_object_or_404(
        Observation.objects.visible_to(request.user).filter(author=request.user).select_related("child__group"), pk=pk
    )
    if not observation.can_edit(request.user):
        messages.error(request, _("An observation can only be changed in the first 24 hours."))
        return redirect(observation)
    form = ObservationForm(
        request.POST or None,
        request.FILES or None,
        instance=observation,
        child=observation.child,
        side=observation.side,
    )
    del form.fields["token"]
    if request.method == "POST" and form.is_valid() and form.save_unless_stale(form.save_changes):
        messages.success(request, _("Your observation has been changed."))
        return redirect(_next_url(request, observation.get_absolute_url()))
    return render(
        request,
        "partnership/observations/observation_form.html",
        {
            "form": form,
            "child": observation.child,
            "side": observation.side,
            "observation": observation,
            "title": _("Change observation"),
        },
    )


@login_required
def observation_delete(request, pk):
    observation = get_object_or_404(
        Observation.objects.visible_to(request.user).filter(author=request.user).select_related("child"), pk=pk
    )
    if observation.is_deleted:
        return redirect(observation.child)
    if request.method == "POST":
        observation.soft_delete()
        messages.success(request, _("Your observation has been deleted. Replies stay readable."))
        return redirect(observation.child)
    return render(
        request,
        "partnership/observations/confirm_delete.html",
        {
            "child": observation.child,
            "object": observation,
            "title": _("Delete this observation?"),
            "cancel_url": observation.get_absolute_url(),
        },
    )


@login_required
@require_POST
def observation_mark_seen(request, pk):
    """Staff mark a home observation as read when it needs no reply, so it leaves the to-do badge."""
    observation = get_object_or_404(Observation.objects.visible_to(request.user).select_related("child"), pk=pk)
    side = side_of(request.user, observation.child)
    if observation.can_mark_seen(request.user, side):
        observation.seen_at, observation.seen_by = timezone.now(), request.user
        observation.save(update_fields=["seen_at", "seen_by"])
        messages.success(request, _("Marked as seen. The parents can see that you read it."))
    url = _with_anchor(_next_url(request, observation.get_absolute_url()), f"observation-{observation.pk}")
    if request.htmx:
        return _render_card(request, observation)
    return redirect(url)


@login_required
@require_POST
def reply_create(request, pk):
    observation = get_object_or_404(
        Observation.objects.readable_by(request.user).select_related("child__group__centre"), pk=pk
    )
    side = side_of(request.user, observation.child)
    if not observation.can_reply():
        messages.error(request, _("This observation has been deleted; you can no longer reply."))
        return redirect(observation.child)
    form = ReplyForm(request.POST, observation=observation, side=side)
    if form.is_valid():
        with transaction.atomic():  # the reply and its notifications in the outbox, together
            reply, created = form.save_new(author=request.user)
            if created:
                outbox.add(notify_new_reply, reply.pk)
        if created:
            if reply.is_tip:
                messages.success(request, _("Your tip has been shared."))
            else:
                messages.success(request, _("Your reply has been saved."))
        if request.htmx:
            return _render_card(request, observation)
        return redirect(_with_anchor(_next_url(request, observation.get_absolute_url()), f"reply-{reply.pk}"))
    if request.htmx:
        return _render_card(request, observation, reply_form=form)
    observation = Observation.objects.readable_by(request.user).for_timeline().get(pk=observation.pk)
    context = _card_context(request, observation, reply_form=form)
    context["next"] = _next_url(request, observation.get_absolute_url())
    return render(request, "partnership/observations/observation_detail.html", context)


@login_required
def reply_edit(request, pk):
    reply = get_object_or_404(
        Reply.objects.readable_by(request.user).filter(author=request.user).select_related("observation__child"), pk=pk
    )
    if not reply.can_edit(request.user):
        messages.error(request, _("A reply can only be changed in the first 24 hours."))
        return redirect(reply.get_absolute_url())
    form = ReplyEditForm(request.POST or None, instance=reply)
    if request.method == "POST" and form.is_valid() and form.save_unless_stale():
        messages.success(request, _("Your reply has been changed."))
        return redirect(reply.get_absolute_url())
    return render(
        request,
        "partnership/observations/reply_form.html",
        {"form": form, "reply": reply, "child": reply.observation.child, "title": _("Change reply")},
    )


@login_required
def reply_delete(request, pk):
    reply = get_object_or_404(
        Reply.objects.readable_by(request.user).filter(author=request.user).select_related("observation__child"), pk=pk
    )
    if reply.is_deleted:
        return redirect(reply.observation)
    if request.method == "POST":
        reply.soft_delete()
        messages.success(request, _("Your reply has been deleted."))
        return redirect(reply.observation)
    return render(
        request,
        "partnership/observations/confirm_delete.html",
        {
            "child": reply.observation.child,
            "object": reply,
            "title": _("Delete this reply?"),
            "cancel_url": reply.get_absolute_url(),
        },
    )


@login_required
def tip_outcome(request, pk):
    """The other side says whether a tip worked; saying it again updates the answer."""
    tip = get_object_or_404(
        Reply.objects.visible_to(request.user).tips().select_related("observation__child", "author"), pk=pk
    )
    side = side_of(request.user, tip.observation.child)
    if not tip.can_record_outcome(side):
        messages.error(request, _("Only the other side can say whether this tip worked."))
        return redirect(tip.get_absolute_url())
    outcome = TipOutcome.objects.visible_to(request.user).filter(tip=tip).first()
    form = TipOutcomeForm(request.POST or None, instance=outcome)
    form.instance.tip, form.instance.author = tip, request.user
    if request.method == "POST" and form.is_valid() and _save_outcome(form):
        outcome = form.instance
        messages.success(request, _("Thank you for telling how the tip worked."))
        return redirect(_next_url(request, tip.get_absolute_url()))
    return render(
        request,
        "partnership/observations/tip_outcome_form.html",
        {"form": form, "tip": tip, "child": tip.observation.child, "title": _("Did the tip work?")},
    )


def _save_outcome(form):
    """Save a tip's outcome and, in the same transaction, its notification in the outbox."""
    with transaction.atomic():
        saved = form.save_unless_stale()
        if saved:
            outbox.add(notify_tip_outcome, form.instance.pk)
    return saved


def _serve(field_file):
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def observation_photo(request, pk):
    photo = get_object_or_404(
        ObservationPhoto.objects.readable_by(request.user).shown().select_related("observation__child"), pk=pk
    )
    record_access(request, photo.observation.child, "photo")
    return _serve(photo.image)


@login_required
def observation_photo_thumbnail(request, pk):
    """Thumbnails are part of the timeline page, whose view is already in the access log."""
    photo = get_object_or_404(ObservationPhoto.objects.readable_by(request.user).shown(), pk=pk)
    return _serve(photo.thumbnail)


@login_required
def child_tips(request, pk):
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    record_access(request, child, "timeline")
    tips = (
        Reply.objects.visible_to(request.user)
        .tips()
        .filter(observation__child=child)
        .select_related("author", "observation", "outcome__author")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(tips, TIPS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnership/observations/tips.html",
        {"child": child, "page": page, "viewer_side": side_of(request.user, child)},
    )


@login_required
def group_overview(request):
    """Children of my groups: newest activity and who is waiting for an answer, the longest wait first."""
    roles = roles_of(request.user)
    if not roles & {"staff", "manager"}:
        raise Http404
    groups = Group.objects.worked_on_by(request.user).select_related("centre").order_by("centre__name", "name")
    children = Child.objects.cared_for_by(request.user).current().select_related("group")
    selected_group = None
    if group_id := request.GET.get("group"):
        selected_group = next((g for g in groups if str(g.pk) == group_id), None)
        if selected_group is None:
            raise Http404
        children = children.filter(group=selected_group)
    page = Paginator(with_absences(children_with_activity(children, mentor=request.user)), OVERVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    needing_mentor = children.needing_mentor().select_related("group", "mentor").order_by("group__name", "first_name")
    return render(
        request,
        "partnership/observations/group_overview.html",
        {
            "page": page,
            "groups": groups,
            "selected_group": selected_group,
            "query": f"group={selected_group.pk}" if selected_group else "",
            "absence_days": absent_on_page(page),
            "needing_mentor": needing_mentor,
        },
    )
