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
    observations = Observation.objects.visible_to(user).filter(child=child)
    filters = TimelineFilterForm(request.GET or None)
    page = Paginator(
        filters.filter(observations).for_timeline().order_by("-observed_on", "-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    tips = list(
        Reply.objects.visible_to(user)
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
        "summary": month_summary(observations),
        "summary_month": timezone.localdate(),
        "tips": tips[:TIPS_SHOWN],
        "more_tips": len(tips) > TIPS_SHOWN,
    }
