"""The child's page: one timeline with home and centre side by side, a summary per theme, and the tips.

`timeline_context` is what the child page (partnership.views.child_page) shows of this app. Its number of
queries does not grow with the number of observations, replies, photos or tips.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils import timezone

from .forms.observations import TimelineFilterForm
from .models.observations import Observation, Reply, Side, Theme, side_of

PAGE_SIZE = 15
TIPS_SHOWN = 5


@dataclass
class SideSummary:
    count: int = 0
    latest: str = ""
    latest_on: object = None


@dataclass
class ThemeSummary:
    theme: str
    label: str
    home: SideSummary = field(default_factory=SideSummary)
    centre: SideSummary = field(default_factory=SideSummary)


def month_summary(observations, today=None):
    """Per theme: how often each side wrote about it this month and the newest words of each, in one query."""
    today = today or timezone.localdate()
    rows = (
        observations.filter(deleted_at__isnull=True, observed_on__gte=today.replace(day=1), observed_on__lte=today)
        .order_by("-observed_on", "-created_at")
        .values_list("theme", "side", "observed_on", "text")
    )
    summaries = {}
    for theme, side, observed_on, text in rows:
        summary = summaries.get(theme)
        if summary is None:
            summary = summaries[theme] = ThemeSummary(theme=theme, label=Theme(theme).label)
        part = summary.home if side == Side.HOME else summary.centre
        part.count += 1
        if not part.latest:
            part.latest, part.latest_on = text, observed_on
    return [summaries[theme] for theme in Theme.values if theme in summaries]


def timeline_context(request, child):
    user = request.user
    viewer_side = side_of(user, child)
    observations = Observation.objects.readable_by(user).filter(child=child)
    filters = TimelineFilterForm(request.GET or None)
    page = Paginator(
        filters.filter(observations).for_timeline().order_by("-observed_on", "-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    entries = merge_moments(user, child, filters, page)
    tips = list(
        Reply.objects.readable_by(user)
        .tips()
        .filter(observation__child=child)
        .select_related("author", "observation", "outcome__author")
        .order_by("-created_at", "-pk")[: TIPS_SHOWN + 1]
    )
    return {
        "viewer_side": viewer_side,
        "filters": filters,
        "query": filters.query,
        "page": page,
        "timeline_entries": entries,
        "summary": month_summary(observations),
        "summary_month": timezone.localdate(),
        "tips": tips[:TIPS_SHOWN],
        "more_tips": len(tips) > TIPS_SHOWN,
    }


MOMENTS_PER_PAGE_MAX = 50


def merge_moments(user, child, filters, page):
    """The page's observations with the group moments of the same days, newest first, as one list.

    A page of observations covers the days from its oldest observation up to (not including) the oldest day
    of the page before it; the child's moments of those days are shown among them. So moments need no
    pagination of their own and the page costs the same few queries however many there are.
    """
    from django.db.models import Prefetch

    from .models.moments import GroupMoment, MomentPhoto, MomentReply

    observations = list(page.object_list)
    moments = GroupMoment.objects.visible_to(user).alive().filter(children=child)
    if filters.is_valid():
        if filters.cleaned_data.get("side") == Side.HOME:
            return observations
        if theme := filters.cleaned_data.get("theme"):
            moments = moments.filter(theme=theme)
    if page.has_next() and observations:
        moments = moments.filter(happened_on__gte=observations[-1].observed_on)
    if page.has_previous():
        before = page.paginator.object_list[page.start_index() - 2]
        moments = moments.filter(happened_on__lt=before.observed_on)
    photos = MomentPhoto.objects.visible_to(user).ready().prefetch_related("children").order_by("pk")
    thread = MomentReply.objects.filter(child=child).select_related("author").order_by("created_at", "pk")
    moments = list(
        moments.select_related("author", "group")
        .prefetch_related(
            Prefetch("photos", queryset=photos, to_attr="visible_photos"),
            Prefetch("replies", queryset=thread, to_attr="child_thread"),
        )
        .order_by("-happened_on", "-created_at", "-pk")[:MOMENTS_PER_PAGE_MAX]
    )
    entries = observations + moments
    entries.sort(key=lambda e: (getattr(e, "observed_on", None) or e.happened_on, e.created_at), reverse=True)
    return entries
