from django import template
from django.utils import timezone

from ..models import Booking, IntakeRequest, TrainingSession, is_trainer

register = template.Library()

STATUS_CLASSES = {
    IntakeRequest.Status.NEW: "text-bg-warning",
    IntakeRequest.Status.IN_PROGRESS: "text-bg-info",
    IntakeRequest.Status.WAITING: "text-bg-light border",
    IntakeRequest.Status.PLANNED: "text-bg-success",
    IntakeRequest.Status.CLOSED: "text-bg-secondary",
    Booking.Status.REQUESTED: "text-bg-warning",
    Booking.Status.PLANNING: "text-bg-info",
    Booking.Status.CONFIRMED: "text-bg-success",
    Booking.Status.DELIVERED: "text-bg-secondary",
    Booking.Status.CANCELLED: "text-bg-light border",
}


@register.filter
def status_class(status):
    """The Bootstrap badge class for an intake or booking status."""
    return STATUS_CLASSES.get(status, "text-bg-light border")


@register.inclusion_tag("trainings/_trainer_overview.html", takes_context=True)
def trainer_overview(context):
    """The trainer's section of the home page: new requests, bookings to plan, the next sessions."""
    user = context["request"].user
    if not is_trainer(user):
        return {"show": False}
    requests = IntakeRequest.objects.visible_to(user)
    bookings = Booking.objects.visible_to(user)
    return {
        "show": True,
        "new_requests": list(
            requests.filter(status=IntakeRequest.Status.NEW).select_related("interest").order_by("-created_at")[:5]
        ),
        "new_count": requests.filter(status=IntakeRequest.Status.NEW).count(),
        "mine_count": requests.filter(assigned_to=user).exclude(status=IntakeRequest.Status.CLOSED).count(),
        "to_plan": list(
            bookings.filter(status__in=[Booking.Status.REQUESTED, Booking.Status.PLANNING])
            .select_related("offering", "centre", "organisation")
            .order_by("created_at")[:5]
        ),
        "next_sessions": list(
            TrainingSession.objects.filter(booking__in=bookings, starts_at__gte=timezone.now())
            .filter(booking__status=Booking.Status.CONFIRMED)
            .select_related("booking__offering", "booking__centre", "booking__organisation")
            .order_by("starts_at")[:5]
        ),
    }
