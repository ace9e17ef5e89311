import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from children.models import Centre, Child, Guardianship

from ..calendar import build_calendar
from ..forms.events import CancelEventForm, EventForm, RsvpForm
from ..models import CalendarFeed, Event, Rsvp, TalkSlot
from ..services import events as event_services


@login_required
def event_list(request):
    past = request.GET.get("when") == "past"
    events = (
        Event.objects.visible_to(request.user)
        .select_related("centre")
        .prefetch_related("groups")
        .with_counts()
        .with_role_of(request.user)
        .with_answer_of(request.user)
    )
    events = events.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk") if past else events.upcoming()
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "past": past,
        "query": "when=past" if past else "",
        "can_create": Centre.objects.worked_at_by(request.user).exists(),
    }
    return render(request, "partnership/events/event_list.html", context)


def _rsvp_context(request, event, form=None):
    rsvp = event.rsvps.filter(person=request.user).first()
    if form is None:
        initial = {"answer": rsvp.answer, "party_size": rsvp.party_size} if rsvp else {"party_size": 1}
        form = RsvpForm(event=event, initial=initial)
    return {"event": event, "rsvp": rsvp, "form": form, "seats_left": event.seats_left()}


@login_required
def event_detail(request, pk):
    event = get_object_or_404(
        Event.objects.visible_to(request.user).with_role_of(request.user).select_related("centre"), pk=pk
    )
    can_manage = event.i_organise
    context = _rsvp_context(request, event)
    context.update(
        can_manage=can_manage,
        # Organisers see who is coming instead of an answer form, unless they are invited as a parent too.
        can_answer=event.i_am_invited or context["rsvp"] is not None or not can_manage,
        groups=event.groups.all(),
        counts=event.answer_counts() if can_manage else None,
        # Announcements and reminders that could not be delivered: the organisers can tell people themselves.
        undelivered=event.reminders.given_up().select_related("person").order_by("failed_at") if can_manage else (),
    )
    return render(request, "partnership/events/event_detail.html", context)


@login_required
@require_POST
def event_respond(request, pk):
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    form = RsvpForm(request.POST, event=event)
    if form.is_valid():
        try:
            rsvp = event_services.respond(
                event, request.user, form.cleaned_data["answer"], form.cleaned_data["party_size"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if rsvp.on_waiting_list:
                messages.success(
                    request,
                    _("The event is full. You are on the waiting list; we will tell you when a place comes free."),
                )
            elif rsvp.answer == Rsvp.Answer.NO:
                messages.success(request, _("Thank you for letting us know you cannot come."))
            else:
                messages.success(request, _("Your answer has been saved. You will get a reminder before the event."))
            if not request.htmx:
                return redirect(event)
            form = None
    if request.htmx:
        return render(request, "partnership/events/_rsvp.html", _rsvp_context(request, event, form))
    messages.error(request, _("Your answer could not be saved. Please look at the form."))
    context = _rsvp_context(request, event, form)
    context.update(can_manage=False, can_answer=True, groups=event.groups.all(), counts=None)
    return render(request, "partnership/events/event_detail.html", context, status=400)


@login_required
def event_create(request):
    if not Centre.objects.worked_at_by(request.user).exists():
        raise Http404
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        with transaction.atomic():
            event = form.save()
            invited = event_services.invite_parents(event)
        messages.success(
            request,
            ngettext(
                "The event %(title)s has been planned. %(count)s invited parent is told now.",
                "The event %(title)s has been planned. %(count)s invited parents are told now.",
                invited,
            )
            % {"title": event.title, "count": invited},
        )
        return redirect(event)
    return render(request, "partnership/events/event_form.html", {"form": form, "title": _("Plan an event")})


@login_required
def event_edit(request, pk):
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    if event.is_cancelled:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect(event)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    try:
        saved = request.method == "POST" and form.is_valid() and form.save_unless_stale(lambda: _save_event(form))
    except EventCancelled:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect(event)
    if saved:
        if {"starts_at", "ends_at", "location"} & set(form.changed_data):
            messages.success(
                request,
                _("The event has been changed. Everyone who answered and the invited parents are told at once."),
            )
        else:
            messages.success(request, _("The event has been changed."))
        return redirect(event)
    return render(
        request, "partnership/events/event_form.html", {"form": form, "event": event, "title": _("Change the event")}
    )


def _save_event(form):
    """Save an edited event with its row locked, then reschedule and announce what changed."""
    locked = Event.objects.select_for_update().get(pk=form.instance.pk)
    if locked.is_cancelled:
        raise EventCancelled
    form.instance.sequence = locked.sequence
    event_services.update_details(form.save(), form.changed_data)


class EventCancelled(Exception):
    """The event was cancelled while someone was changing it."""


@login_required
def event_cancel(request, pk):
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if event_services.cancel(event):
            messages.success(request, _("The event has been cancelled. Everyone who answered is told at once."))
        return redirect(event)
    return render(request, "partnership/events/event_cancel.html", {"form": form, "event": event})


def _attendees(event, user):
    """Answers with each person's children at the centre, as far as `user` may see those children."""
    children = Guardianship.objects.filter(
        child__group__centre=event.centre_id, child__in=Child.objects.visible_to(user)
    ).select_related("child")
    return (
        event.rsvps.select_related("person")
        .prefetch_related(Prefetch("person__guardianships", queryset=children, to_attr="children_here"))
        .order_by("on_waiting_list", "answer", "waiting_since", "person__name", "pk")
    )


@login_required
def event_attendees(request, pk):
    event = get_object_or_404(Event.objects.managed_by(request.user).select_related("centre"), pk=pk)
    page = Paginator(_attendees(event, request.user), 100).get_page(request.GET.get("page"))
    unanswered = event.invited_parents().exclude(rsvps__event=event).count()
    context = {"event": event, "page": page, "counts": event.answer_counts(), "unanswered": unanswered}
    return render(request, "partnership/events/event_attendees.html", context)


def _cell(value):
    """Spreadsheet programs run cells starting with these characters as formulas."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def event_attendees_csv(request, pk):
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{slugify(event.title) or 'event'}-{timezone.localtime(event.starts_at):%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("Email"), _("Answer"), _("Number of people"), _("Waiting list"), _("Children"), _("Answered on")]
    )
    for rsvp in _attendees(event, request.user):
        writer.writerow(
            [
                _cell(rsvp.person),
                _cell(rsvp.person.email),
                rsvp.get_answer_display(),
                rsvp.party_size if rsvp.answer != Rsvp.Answer.NO else 0,
                _("yes") if rsvp.on_waiting_list else _("no"),
                _cell(", ".join(str(g.child) for g in rsvp.person.children_here)),
                timezone.localtime(rsvp.updated_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def event_ics(request, pk):
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    return _ics_response(build_calendar([event], event.title), f"{slugify(event.title) or 'event'}.ics")


@login_required
def calendar_settings(request):
    feed = CalendarFeed.for_person(request.user)
    url = request.build_absolute_uri(feed.get_absolute_url())
    webcal = "webcal://" + url.split("://", 1)[1]
    return render(request, "partnership/events/calendar.html", {"feed_url": url, "webcal_url": webcal})


@login_required
@require_POST
def calendar_reset(request):
    CalendarFeed.for_person(request.user).reset()
    messages.success(request, _("Your calendar address has been renewed. The old address no longer works."))
    return redirect("partnership:calendar_settings")


def calendar_feed(request, token):
    """No login: calendar apps cannot log in. The secret token is the key, and can be renewed."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)
    if not feed.person.is_active:
        raise Http404
    events = (
        Event.objects.visible_to(feed.person)
        .filter(starts_at__gte=timezone.now() - timedelta(days=90))
        .exclude(Exists(Rsvp.objects.filter(event=OuterRef("pk"), person=feed.person, answer=Rsvp.Answer.NO)))
    )
    talks = TalkSlot.objects.visible_to(feed.person).filter(
        child__isnull=False, starts_at__gte=timezone.now() - timedelta(days=90)
    )
    talks = talks.filter(Q(child__guardianships__user=feed.person) | Q(round__created_by=feed.person)).distinct()
    talks = talks.select_related("round", "child")
    return _ics_response(build_calendar(events, "Samenspel", talks=talks), "samenspel.ics")
