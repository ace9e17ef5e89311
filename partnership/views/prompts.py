from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from children.models import Child, roles_of

from ..models.moments import MomentReply
from ..models.observations import Reply, Side
from ..models.prompts import MOMENT_PROMPTS, OBSERVATION_PROMPTS, Prompt

PERIOD = timedelta(days=90)


@login_required
def prompt_answers(request):
    """Staff see which questions under their observations and group moments parents answer, the last 90 days."""
    if not roles_of(request.user) & {"staff", "manager"}:
        raise Http404
    children = Child.objects.cared_for_by(request.user)
    since = timezone.now() - PERIOD

    def counts(replies):
        rows = replies.filter(side=Side.HOME, deleted_at__isnull=True, created_at__gte=since)
        return dict(rows.order_by().values_list("prompt").annotate(n=Count("pk")))

    under_observations = counts(
        Reply.objects.visible_to(request.user).filter(observation__child__in=children, observation__side=Side.CENTRE)
    )
    under_moments = counts(MomentReply.objects.visible_to(request.user).filter(child__in=children))
    rows = [
        {
            "prompt": prompt,
            "observations": under_observations.get(prompt.value, 0) if prompt in OBSERVATION_PROMPTS else None,
            "moments": under_moments.get(prompt.value, 0) if prompt in MOMENT_PROMPTS else None,
        }
        for prompt in Prompt
    ]
    rows.sort(key=lambda row: -((row["observations"] or 0) + (row["moments"] or 0)))
    return render(
        request,
        "partnership/prompts/answers.html",
        {
            "rows": rows,
            "own_words": {"observations": under_observations.get("", 0), "moments": under_moments.get("", 0)},
            "days": PERIOD.days,
        },
    )
