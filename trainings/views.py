import hashlib
from functools import wraps

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from children.models import Centre
from common.concurrency import VersionConflict, save_versioned

from . import services
from .forms import (
    BookingForm,
    BookingFromIntakeForm,
    BookingStatusForm,
    ConfirmForm,
    IntakeAnswerForm,
    IntakeFilterForm,
    IntakeForm,
    IntakeNoteForm,
    IntakeUpdateForm,
    InviteParticipantsForm,
    LearningWishForm,
    OfferingForm,
    SessionFormSet,
    StepFormSet,
    ThemeFormSet,
)
from .models import Booking, IntakeRequest, Offering, Participant, is_trainer

PAGE_SIZE = 25
# Per address (IP and email), at most this many new requests per hour.
INTAKE_RATE_LIMIT = 5
INTAKE_RATE_WINDOW = 3600


def trainer_only(view):
    """Pages of the training provider: trainers only; anybody else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_trainer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- Public offer and intake form ------------------------------------------------------------------------


def offer(request):
    """The public training offer: the in-company training(s) with programme and themes, then the activities."""
    offerings = list(Offering.objects.published().prefetch_related("steps", "themes"))
    return render(
        request,
        "trainings/offer.html",
        {
            "trainings": [o for o in offerings if o.is_training],
            "activities": [o for o in offerings if not o.is_training],
        },
    )


def offering_detail(request, slug):
    offerings = Offering.objects.all() if is_trainer(request.user) else Offering.objects.published()
    offering = get_object_or_404(offerings.prefetch_related("steps", "themes"), slug=slug)
    can_book = Centre.objects.managed_by(request.user).exists() and offering.is_published
    return render(request, "trainings/offering_detail.html", {"offering": offering, "can_book": can_book})


def _rate_limit_keys(request, email):
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    email_digest = hashlib.sha256(email.encode()).hexdigest()
    return [f"trainings:intake:ip:{address}", f"trainings:intake:email:{email_digest}"]


def _rate_limited(keys):
    return any((cache.get(key) or 0) >= INTAKE_RATE_LIMIT for key in keys)


def _count_request(keys):
    for key in keys:
        cache.add(key, 0, INTAKE_RATE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, INTAKE_RATE_WINDOW)


def intake_create(request):
    """Anyone sends a contact or intake request; stored once, receipt by email, trainers told."""
    interest = Offering.objects.published().filter(slug=request.GET.get("interest") or "").first()
    form = IntakeForm(request.POST or None, interest=interest)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            # Look like success to a bot, store nothing.
            return redirect("trainings:intake_thanks")
        keys = _rate_limit_keys(request, form.cleaned_data["email"])
        if _rate_limited(keys):
            form.add_error(
                None,
                ValidationError(
                    _("We received several requests from you just now. Please try again in an hour."),
                    code="rate_limited",
                ),
            )
            status = 429
        else:
            intake, created = services.submit_intake(
                submission_key=form.submission_key, language=translation.get_language(), **form.intake_fields()
            )
            if created:
                _count_request(keys)
            messages.success(request, _("Thank you, we received your request."))
            return redirect("trainings:intake_thanks")
    return render(request, "trainings/intake_form.html", {"form": form}, status=status)


def intake_thanks(request):
    return render(request, "trainings/intake_thanks.html")


# --- Catalogue, edited by trainers -----------------------------------------------------------------------


@trainer_only
def catalogue(request):
    offerings = Offering.objects.annotate(
        step_count=Count("steps", distinct=True), theme_count=Count("themes", distinct=True)
    )
    return render(request, "trainings/catalogue.html", {"offerings": offerings})


@trainer_only
def offering_edit(request, pk=None):
    offering = get_object_or_404(Offering, pk=pk) if pk else Offering()
    data = request.POST or None
    form = OfferingForm(data, instance=offering)
    steps = StepFormSet(data, instance=offering, prefix="steps")
    themes = ThemeFormSet(data, instance=offering, prefix="themes")

    def save_all():
        saved = form.save()
        steps.instance = themes.instance = saved
        steps.save()
        themes.save()

    valid = request.method == "POST" and form.is_valid() and steps.is_valid() and themes.is_valid()
    if valid and form.save_unless_stale(save_all):
        offering = form.instance
        messages.success(request, _("%(offering)s has been saved.") % {"offering": offering})
        return redirect("trainings:catalogue")
    return render(
        request,
        "trainings/offering_form.html",
        {"form": form, "steps": steps, "themes": themes, "offering": offering if pk else None},
    )


# --- Intake desk -----------------------------------------------------------------------------------------


@trainer_only
def intake_list(request):
    requests = IntakeRequest.objects.visible_to(request.user).select_related("interest", "assigned_to").new_first()
    filters = IntakeFilterForm(request.GET or None)
    page = Paginator(filters.filter(requests), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k in ("status", "interest") and v})
    new_count = IntakeRequest.objects.visible_to(request.user).filter(status=IntakeRequest.Status.NEW).count()
    return render(
        request,
        "trainings/intake_list.html",
        {"page": page, "filters": filters, "query": query, "new_count": new_count},
    )


def _intake(request, pk):
    return get_object_or_404(
        IntakeRequest.objects.visible_to(request.user).select_related("interest", "assigned_to"), pk=pk
    )


def _render_intake(request, intake, status=200, **forms):
    context = {
        "intake": intake,
        "notes": intake.notes.select_related("author"),
        "answers": intake.answers.select_related("author"),
        "booking": Booking.objects.filter(intake_request=intake).first(),
        "update_form": forms.get("update_form") or IntakeUpdateForm(instance=intake),
        "note_form": forms.get("note_form") or IntakeNoteForm(),
        "answer_form": forms.get("answer_form") or IntakeAnswerForm(),
    }
    return render(request, "trainings/intake_detail.html", context, status=status)


@trainer_only
def intake_detail(request, pk):
    intake = _intake(request, pk)
    return _render_intake(request, intake)


@trainer_only
@require_POST
def intake_update(request, pk):
    intake = _intake(request, pk)
    form = IntakeUpdateForm(request.POST, instance=IntakeRequest.objects.get(pk=intake.pk))
    if not form.is_valid():
        return _render_intake(request, intake, status=400, update_form=form)
    services.update_intake(
        intake, status=form.cleaned_data["status"], assigned_to=form.cleaned_data["assigned_to"], actor=request.user
    )
    messages.success(request, _("The request has been updated."))
    return redirect(intake)


@trainer_only
@require_POST
def intake_assign_me(request, pk):
    intake = _intake(request, pk)
    status = IntakeRequest.Status.IN_PROGRESS if intake.status == IntakeRequest.Status.NEW else intake.status
    services.update_intake(intake, status=status, assigned_to=request.user, actor=request.user)
    messages.success(request, _("You are handling this request now."))
    return redirect(intake)


@trainer_only
@require_POST
def intake_note(request, pk):
    intake = _intake(request, pk)
    form = IntakeNoteForm(request.POST)
    if not form.is_valid():
        return _render_intake(request, intake, status=400, note_form=form)
    services.add_intake_note(
        intake, text=form.cleaned_data["text"], submission_key=form.posted_token, actor=request.user
    )
    messages.success(request, _("Your note has been added."))
    return redirect(intake)


@trainer_only
@require_POST
def intake_answer(request, pk):
    intake = _intake(request, pk)
    if intake.anonymised_at:
        raise Http404
    form = IntakeAnswerForm(request.POST)
    if not form.is_valid():
        return _render_intake(request, intake, status=400, answer_form=form)
    services.answer_intake(intake, body=form.cleaned_data["body"], submission_key=form.posted_token, actor=request.user)
    messages.success(request, _("Your answer is being sent to %(email)s.") % {"email": intake.email})
    return redirect(intake)


@trainer_only
def intake_booking(request, pk):
    """Turn a request into a booking for a centre in the portal."""
    intake = _intake(request, pk)
    existing = Booking.objects.filter(intake_request=intake).first()
    if existing:
        return redirect(existing)
    form = BookingFromIntakeForm(request.POST or None, intake=intake)
    if request.method == "POST" and form.is_valid():
        booking, _created = services.booking_from_intake(intake, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The booking has been made; the centre's managers can follow it."))
        return redirect(booking)
    return render(request, "trainings/intake_booking.html", {"form": form, "intake": intake})


# --- Bookings --------------------------------------------------------------------------------------------


def _bookings(request):
    """Bookings the user may see; a 404 for anyone who is neither trainer nor manager."""
    if not (is_trainer(request.user) or Centre.objects.managed_by(request.user).exists()):
        raise Http404
    return Booking.objects.visible_to(request.user)


@login_required
def booking_list(request):
    bookings = (
        _bookings(request)
        .for_list()
        .annotate(
            participant_count=Count("participants", distinct=True),
            answered_count=Count("participants", filter=Q(participants__answered_at__isnull=False), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Booking.Status.values:
        bookings = bookings.filter(status=status)
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/booking_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Booking.Status.choices,
            "query": urlencode({"status": status}) if status else "",
            "can_book": Centre.objects.managed_by(request.user).exists(),
        },
    )


@login_required
def booking_create(request):
    if not Centre.objects.managed_by(request.user).exists():
        raise Http404
    offering = Offering.objects.published().filter(slug=request.GET.get("offering") or "").first()
    form = BookingForm(request.POST or None, manager=request.user, offering=offering)
    if request.method == "POST" and form.is_valid():
        booking, _created = services.request_booking(
            manager=request.user,
            submission_key=form.posted_token,
            dates=form.dates,
            **form.booking_fields(),
        )
        messages.success(request, _("Your booking has been sent. The trainers will contact you to plan it."))
        return redirect(booking)
    return render(request, "trainings/booking_form.html", {"form": form})


def _booking(request, pk):
    return get_object_or_404(
        _bookings(request).select_related("offering", "centre", "organisation", "trainer", "intake_request"), pk=pk
    )


def _status_actions(request, booking):
    """The status changes this person may make now: trainers plan and deliver, managers may cancel."""
    if is_trainer(request.user):
        actions = [Booking.Status.PLANNING, Booking.Status.DELIVERED, Booking.Status.CANCELLED]
    elif Booking.objects.managed_by(request.user).filter(pk=booking.pk).exists():
        actions = [Booking.Status.CANCELLED]
    else:
        actions = []
    return [status for status in actions if booking.can_move_to(status)]


@login_required
def booking_detail(request, pk):
    booking = _booking(request, pk)
    participants = booking.participants.all()
    is_manager = Booking.objects.managed_by(request.user).filter(pk=booking.pk).exists()
    return render(
        request,
        "trainings/booking_detail.html",
        {
            "booking": booking,
            "sessions": booking.sessions.all(),
            "preferred_dates": booking.preferred_dates.all(),
            "changes": booking.changes.select_related("by"),
            "participants": participants,
            "answered_count": sum(1 for p in participants if p.answered_at),
            "status_actions": _status_actions(request, booking),
            "status_labels": dict(Booking.Status.choices),
            "is_trainer": is_trainer(request.user),
            "can_invite": is_manager and booking.invites_participants,
        },
    )


@login_required
@require_POST
def booking_status(request, pk):
    booking = _booking(request, pk)
    form = BookingStatusForm(request.POST, booking=booking, allowed=_status_actions(request, booking))
    if not form.is_valid():
        messages.error(request, _("This booking cannot get that status now."))
        return redirect(booking)
    try:
        save_versioned(
            booking,
            _based_on(form, booking),
            lambda: services.change_booking_status(
                booking, form.cleaned_data["status"], actor=request.user, note=form.cleaned_data["note"]
            ),
        )
    except VersionConflict as conflict:
        _refuse_stale_booking(request, conflict.current)
        return redirect(booking)
    messages.success(request, _("The booking is now: %(status)s.") % {"status": booking.get_status_display()})
    return redirect(booking)


def _based_on(form, booking):
    """The booking version the person's page showed (the one just read, for a hand-made request without it)."""
    version = form.cleaned_data.get("version")
    return booking.version if version is None else version


def _refuse_stale_booking(request, current):
    messages.error(
        request,
        _(
            "Someone else changed this booking while you had it open (it is now: %(status)s). "
            "Nothing has been changed; look at it again and then choose."
        )
        % {"status": current.get_status_display()},
    )


@trainer_only
def booking_confirm(request, pk):
    """Confirm a booking with a trainer and its sessions, or change them later."""
    booking = _booking(request, pk)
    if not booking.can_move_to(Booking.Status.CONFIRMED):
        messages.error(request, _("This booking can no longer be confirmed."))
        return redirect(booking)
    form = ConfirmForm(request.POST or None, booking=booking, user=request.user)
    sessions = SessionFormSet(request.POST or None, instance=booking, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():

        def confirm():
            sessions.save()
            services.confirm_booking(booking, trainer=form.cleaned_data["trainer"], actor=request.user)

        try:
            save_versioned(booking, _based_on(form, booking), confirm)
        except VersionConflict as conflict:
            _refuse_stale_booking(request, conflict.current)
            return redirect(booking)
        messages.success(request, _("The booking is confirmed. The managers have been told."))
        return redirect(booking)
    return render(
        request,
        "trainings/booking_confirm.html",
        {"booking": booking, "form": form, "sessions": sessions, "preferred_dates": booking.preferred_dates.all()},
    )


@login_required
def booking_invite(request, pk):
    """The manager invites participants once the booking is confirmed."""
    booking = get_object_or_404(Booking.objects.managed_by(request.user).select_related("offering", "centre"), pk=pk)
    if not booking.invites_participants:
        messages.error(request, _("You can invite participants once the booking is confirmed."))
        return redirect(booking)
    form = InviteParticipantsForm(request.POST or None, booking=booking)
    if request.method == "POST" and form.is_valid():
        count = services.invite_participants(
            booking, people=form.people(), emails=form.email_invitations(), actor=request.user
        )
        messages.success(
            request,
            ngettext("%(count)s participant invited.", "%(count)s participants invited.", count) % {"count": count},
        )
        return redirect(booking)
    return render(request, "trainings/booking_invite.html", {"booking": booking, "form": form})


@trainer_only
def booking_wishes(request, pk):
    """Each participant's learning wishes, and per question the answers of parents and of professionals."""
    booking = _booking(request, pk)
    answered = list(booking.participants.answered())
    questions = []
    for name in Participant.QUESTIONS:
        field = Participant._meta.get_field(name)
        split = {
            role: [p for p in answered if p.role == role and getattr(p, name).strip()]
            for role in Participant.Role.values
        }
        questions.append(
            {
                "name": name,
                "label": field.verbose_name,
                "parents": [(p, getattr(p, name)) for p in split[Participant.Role.PARENT]],
                "professionals": [(p, getattr(p, name)) for p in split[Participant.Role.PROFESSIONAL]],
            }
        )
    return render(
        request,
        "trainings/booking_wishes.html",
        {
            "booking": booking,
            "answered": answered,
            "questions": questions,
            "invited_count": booking.participants.count(),
            "parent_count": sum(1 for p in answered if p.role == Participant.Role.PARENT),
            "professional_count": sum(1 for p in answered if p.role == Participant.Role.PROFESSIONAL),
        },
    )


# --- Learning wishes, filled in by participants ----------------------------------------------------------


@login_required
def wish_list(request):
    participations = (
        Participant.objects.visible_to(request.user)
        .select_related("booking__offering", "booking__centre", "booking__organisation")
        .prefetch_related(Prefetch("booking__sessions"))
    )
    return render(request, "trainings/wish_list.html", {"participations": participations})


def _wish_form(request, participant):
    booking = participant.booking
    form = LearningWishForm(request.POST or None, instance=participant)
    if request.method == "POST":
        if not booking.is_open:
            messages.error(request, _("This training has ended; the learning wishes can no longer be changed."))
            return redirect(request.path)
        if form.is_valid():
            services.save_learning_wishes(form.save(commit=False))
            messages.success(request, _("Thank you! The trainer will read your learning wishes."))
            return redirect(request.path)
    return render(
        request,
        "trainings/wish_form.html",
        {"participant": participant, "booking": booking, "sessions": booking.sessions.all(), "form": form},
    )


@login_required
def wish_form(request, pk):
    participant = get_object_or_404(
        Participant.objects.visible_to(request.user).select_related("booking__offering", "booking__centre"), pk=pk
    )
    return _wish_form(request, participant)


@never_cache
def wish_form_token(request, token):
    """The personal link for someone invited by email address without an account."""
    participant = get_object_or_404(
        Participant.objects.select_related("booking__offering", "booking__centre"), token=token
    )
    if participant.user_id:
        return redirect(reverse("trainings:wish_form", args=[participant.pk]))
    return _wish_form(request, participant)
