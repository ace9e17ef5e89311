"""The child's own page: about me, the shared timeline of home and centre, and the tips that were tried."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from children import scope
from children.models import Child
from children.privacy.access import record_access

from ..timeline import timeline_context


@login_required
def child_detail(request, pk):
    """The child's own page: about me, the shared timeline of home and centre, and the tips that were tried."""
    child = get_object_or_404(Child.objects.readable_by(request.user).select_related("group__centre", "mentor"), pk=pk)
    context = {"child": child, **timeline_context(request, child)}
    record_access(request, child, "timeline")
    if request.htmx and request.htmx.target == "timeline":
        return render(request, "partnership/observations/_timeline.html", context)
    context["guardians"] = child.guardianships.select_related("user")
    # The wider family reads and replies; the buttons to write, report or change things are not theirs.
    context["is_family"] = not scope.sees(request.user, child)
    context["is_parent"] = request.user.pk in getattr(child, "_guardian_ids", ())
    # Staff and managers of the child: mentor, handover and invitations. A child who left has no parents to invite.
    context["can_invite"] = scope.cares_for(request.user, child)
    context["can_invite_parent"] = context["can_invite"] and child.end_date is None  # as Child.objects.current()
    return render(request, "children/child_detail.html", context)
