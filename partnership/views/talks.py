from datetime import datetime, time, timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.models import Group, Guardianship

from ..calendar import build_talk_calendar
from ..forms.talks import (
    DayForm,
    ObservationPickForm,
    SiblingsBookingForm,
    TalkBookingForm,
    TalkPreparationForm,
    TalkReactionForm,
    TalkReportForm,
    TalkRoundForm,
)
from ..models import ChildAgreement, Observation, Reply, TalkPreparation, TalkReaction, TalkReport, TalkRound, TalkSlot
from ..talks_services import (
    TalkBookingError,
    book,
    bookable_children,
    cancel_booking,
    holds_talk,
    open_round,
    pick_observations,
    react_to_report,
    save_preparation,
    write_report,
)


@login_required
def talk_round_list(request):
    rounds = (
        TalkRound.objects.visible_to(request.user)
        .select_related("centre", "group", "created_by")
        .annotate(
            slot_count=Count("slots", distinct=True),
            booked_count=Count("slots", filter=Q(slots__child__isnull=False), distinct=True),
        )
        .order_by("-booking_deadline", "-pk")
    )
    page = Paginator(rounds, 20).get_page(request.GET.get("page"))
    can_open = Group.objects.worked_on_by(request.user).exists()
    return render(request, "partnership/talks/round_list.html", {"page": page, "can_open": can_open})


@login_required
def talk_round_create(request):
    if not Group.objects.worked_on_by(request.user).exists():
        raise Http404
    form = TalkRoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        centre, group = form.target()
        data = form.cleaned_data
        same = TalkRound.objects.filter(
            created_by=request.user, group=group, title=data["title"], booking_deadline=data["booking_deadline"]
        ).first()
        if same is not None:  # the same form sent twice
            messages.info(request, _("This round is already open."))
            return redirect(same)
        talk_round = open_round(
            centre=centre,
            group=group,
            mentor=request.user,
            title=data["title"],
            place=data["place"],
            video_url=data["video_url"],
            slot_minutes=data["slot_minutes"],
            booking_deadline=data["booking_deadline"],
            slots=data["slots"],
        )
        messages.success(
            request,
            _("The round is open with %(count)s times; the parents can book now.") % {"count": len(data["slots"])},
        )
        return redirect(talk_round)
    return render(request, "partnership/talks/round_form.html", {"form": form})


def _round_for(request, pk):
    return get_object_or_404(
        TalkRound.objects.visible_to(request.user).select_related("centre", "group", "created_by"), pk=pk
    )


@login_required
def talk_round_detail(request, pk):
    talk_round = _round_for(request, pk)
    if TalkRound.objects.run_by(request.user).filter(pk=talk_round.pk).exists():
        return _staff_view(request, talk_round)
    return _parent_view(request, talk_round)


def _staff_view(request, talk_round):
    slots = talk_round.slots.select_related("child").prefetch_related(
        Prefetch("child__guardianships", queryset=Guardianship.objects.select_related("user"))
    )
    days = [(day, list(items)) for day, items in groupby(slots, key=lambda s: timezone.localtime(s.starts_at).date())]
    not_booked = (
        talk_round.children.exclude(talk_slots__round=talk_round)
        .select_related("group")
        .prefetch_related(Prefetch("guardianships", queryset=Guardianship.objects.select_related("user")))
    )
    return render(
        request,
        "partnership/talks/round_staff.html",
        {"round": talk_round, "days": days, "not_booked": not_booked},
    )


def _parent_forms(request, talk_round, data=None):
    children = bookable_children(talk_round, request.user)
    free = talk_round.slots.free()
    booking = TalkBookingForm(data, talk_round=talk_round, children=children, free_slots=free, prefix="each")
    siblings = None
    if len(booking.children) > 1:
        siblings = SiblingsBookingForm(data, children=booking.children, free_slots=free, prefix="together")
    return booking, siblings


def _parent_view(request, talk_round, booking=None, siblings=None, status=200):
    if booking is None:
        booking, siblings = _parent_forms(request, talk_round)
    mine = talk_round.slots.filter(child__in=booking.children).select_related("child")
    return render(
        request,
        "partnership/talks/round_parent.html",
        {
            "round": talk_round,
            "booking_form": booking,
            "siblings_form": siblings,
            "mine": mine,
            "free_count": talk_round.slots.free().count(),
        },
        status=status,
    )


@login_required
@require_POST
def talk_round_book(request, pk):
    talk_round = _round_for(request, pk)
    if not bookable_children(talk_round, request.user).exists():
        raise Http404
    booking, siblings = _parent_forms(request, talk_round, request.POST)
    together = "together-start" in request.POST and siblings is not None
    form = siblings if together else booking
    if not form.is_valid():
        messages.error(request, _("That time is not available any more. Please choose another time."))
        return _parent_view(request, talk_round, booking, siblings, status=400)
    try:
        booked = book(talk_round, request.user, form.choices())
    except TalkBookingError as error:
        messages.error(request, str(error))
        return redirect(talk_round)
    if booked:
        messages.success(request, _("Your booking is saved. You will get a reminder the day before."))
    else:
        messages.info(request, _("Choose a time first."))
    return redirect(talk_round)


@login_required
@require_POST
def talk_slot_cancel(request, pk):
    slot = get_object_or_404(TalkSlot.objects.visible_to(request.user).select_related("round"), pk=pk)
    try:
        cancel_booking(slot, request.user)
    except TalkBookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your booking has been cancelled. You can choose another time."))
    return redirect(slot.round)


@login_required
def talk_slot_ics(request, pk):
    slot = get_object_or_404(
        TalkSlot.objects.visible_to(request.user).filter(child__isnull=False).select_related("round", "child"), pk=pk
    )
    response = HttpResponse(build_talk_calendar([slot], str(slot.round)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="talk.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# One talk: the parents' preparation, the mentor's picks, the report and the reactions.


def _talk_for(request, pk):
    slot = get_object_or_404(
        TalkSlot.objects.visible_to(request.user)
        .filter(child__isnull=False)
        .select_related("round__created_by", "round__centre", "child__mentor", "child__group"),
        pk=pk,
    )
    is_parent = slot.child.guardianships.filter(user=request.user).exists()
    return slot, is_parent, holds_talk(request.user, slot)


@login_required
def talk_detail(request, pk):
    slot, is_parent, mentor = _talk_for(request, pk)
    child = slot.child
    preparation = TalkPreparation.objects.visible_to(request.user).filter(round=slot.round, child=child).first()
    report = (
        TalkReport.objects.visible_to(request.user)
        .filter(round=slot.round, child=child)
        .prefetch_related(
            Prefetch("observations", queryset=Observation.objects.alive().select_related("author")),
            Prefetch("reactions", queryset=TalkReaction.objects.select_related("author")),
            "agreements",
        )
        .first()
    )
    context = {
        "slot": slot,
        "round": slot.round,
        "child": child,
        "is_parent": is_parent,
        "is_mentor": mentor,
        "preparation": preparation,
        "report": report,
    }
    if mentor:
        picked = set(report.observations.values_list("pk", flat=True)) if report else set()
        context["pick_form"] = ObservationPickForm(
            initial={"observations": list(picked)}, candidates=_candidates(child)
        )
        context["tips"] = (
            Reply.objects.tips()
            .filter(observation__child=child, outcome__isnull=False)
            .select_related("outcome", "author")
            .order_by("-created_at")[:10]
        )
        context["agreements"] = ChildAgreement.objects.filter(child=child).current()
    if is_parent:
        context["preparation_form"] = TalkPreparationForm(instance=preparation)
        context["reaction_form"] = TalkReactionForm()
    return render(request, "partnership/talks/talk_detail.html", context)


def _candidates(child):
    return Observation.objects.alive().filter(child=child).order_by("-observed_on", "-pk")[:40]


@login_required
def talk_prepare(request, pk):
    slot, is_parent, _mentor = _talk_for(request, pk)
    if not is_parent:
        raise Http404
    preparation = TalkPreparation.objects.filter(round=slot.round, child=slot.child).first()
    form = TalkPreparationForm(request.POST or None, instance=preparation)
    if request.method == "POST" and form.is_valid():
        save_preparation(slot, request.user, form.cleaned_data)
        messages.success(request, _("Thank you. The mentor will read your answers before the talk."))
        return redirect("partnership:talk_detail", pk=slot.pk)
    return render(request, "partnership/talks/prepare_form.html", {"form": form, "slot": slot, "child": slot.child})


@login_required
@require_POST
def talk_topics(request, pk):
    slot, _is_parent, mentor = _talk_for(request, pk)
    if not mentor:
        raise Http404
    candidates = Observation.objects.alive().filter(child=slot.child)
    form = ObservationPickForm(request.POST, candidates=candidates)
    if form.is_valid():
        pick_observations(slot, request.user, form.cleaned_data["observations"])
        messages.success(request, _("The observations to discuss are saved."))
    else:
        messages.error(request, _("Choose observations from the list."))
    return redirect("partnership:talk_detail", pk=slot.pk)


@login_required
def talk_report(request, pk):
    slot, _is_parent, mentor = _talk_for(request, pk)
    if not mentor:
        raise Http404
    report = TalkReport.objects.filter(round=slot.round, child=slot.child).first()
    initial = {"text": report.text, "publish": bool(report.published_at)} if report else {}
    form = TalkReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        write_report(slot, request.user, data["text"], data["publish"], agreement=form.agreement())
        if data["publish"]:
            messages.success(request, _("The report is saved and shared with the parents."))
        else:
            messages.success(request, _("The report is saved; the parents do not see it yet."))
        return redirect("partnership:talk_detail", pk=slot.pk)
    return render(request, "partnership/talks/report_form.html", {"form": form, "slot": slot, "child": slot.child})


@login_required
@require_POST
def talk_react(request, pk):
    slot, is_parent, _mentor = _talk_for(request, pk)
    report = TalkReport.objects.visible_to(request.user).filter(round=slot.round, child=slot.child).first()
    if not is_parent or report is None:
        raise Http404
    form = TalkReactionForm(request.POST)
    if form.is_valid():
        react_to_report(report, slot, request.user, form.cleaned_data["text"])
        messages.success(request, _("Your reaction has been sent to the mentor."))
    else:
        messages.error(request, _("Write a reaction first."))
    return redirect("partnership:talk_detail", pk=slot.pk)


@login_required
def talk_day_schedule(request):
    """Every booked talk of one day in the rounds this person runs, per room: a sheet to print."""
    if not Group.objects.worked_on_by(request.user).exists():
        raise Http404
    form = DayForm(request.GET or None)
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data.get("day") else None
    slots = TalkSlot.objects.booked().filter(round__in=TalkRound.objects.run_by(request.user))
    if day is None:
        upcoming = slots.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
        day = timezone.localtime(upcoming.starts_at).date() if upcoming else timezone.localdate()
        form = DayForm(initial={"day": day})
    start = timezone.make_aware(datetime.combine(day, time.min))
    slots = (
        slots.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .select_related("round", "child__group")
        .prefetch_related(Prefetch("child__guardianships", queryset=Guardianship.objects.select_related("user")))
        .order_by("round__place", "starts_at")
    )
    rooms = [(room, list(items)) for room, items in groupby(slots, key=lambda s: s.round.place or _("Video call"))]
    return render(request, "partnership/talks/day_schedule.html", {"form": form, "day": day, "rooms": rooms})
