"""The next events on the home page: one query, whatever the number of centres and events."""

from django import template

from ..models import Event

register = template.Library()


@register.inclusion_tag("partnership/events/_upcoming.html", takes_context=True)
def upcoming_events(context, limit=3):
    user = context["request"].user
    events = (
        Event.objects.visible_to(user)
        .upcoming()
        .filter(cancelled_at__isnull=True)
        .select_related("centre")
        .with_counts()
        .with_role_of(user)
        .with_answer_of(user)[:limit]
    )
    return {"events": events}
