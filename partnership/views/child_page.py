"""The child's own page: about me, the shared timeline of home and centre, and the tips that were tried."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from children.models import Child
from children.privacy.access import record_access

from ..timeline import timeline_context


@login_required
def child_detail(request, pk):
    """The child's own page: about me, the shared timeline of home and centre, and the tips that were tried."""
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre", "mentor"), pk=pk)
    context = {"child": child, **timeline_context(request, child)}
    record_access(request, child, "timeline")
    if request.htmx and request.htmx.target == "timeline":
        return render(request, "partnership/observations/_timeline.html", context)
    context["guardians"] = child.guardianships.select_related("user")
    context["can_invite"] = Child.objects.cared_for_by(request.user).current().filter(pk=child.pk).exists()
    return render(request, "children/child_detail.html", context)
