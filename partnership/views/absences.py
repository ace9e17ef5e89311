from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.models import Centre, Child
from children.privacy.access import record_access

from ..forms.absences import AbsenceForm
from ..forms.team import TeamSettingsForm
from ..models.absences import Absence, today_and_tomorrow
from ..models.observations import side_of
from ..models.team import TeamSettings
from ..services.absences import report_absence, withdraw_absence

HISTORY_PAGE_SIZE = 20


@login_required
def child_absences(request, pk):
    """Report an absence and see the child's history of absences; parents and the child's staff alike."""
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    form = AbsenceForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        absence, created = report_absence(form, child, request.user)
        if not created:
            messages.info(request, _("This absence had already been saved."))
        elif absence.is_late:
            messages.warning(
                request,
                _("The absence has been saved. It came in after %(time)s, so the team may not have seen it in time.")
                % {"time": TeamSettings.objects.for_centre(child.group.centre).absence_cutoff.strftime("%H:%M")},
            )
        else:
            messages.success(request, _("The absence has been saved. The team has been told."))
        return redirect(absence.get_absolute_url())
    record_access(request, child, "absences")
    history = Absence.objects.visible_to(request.user).filter(child=child).select_related("author")
    page = Paginator(history.order_by("-first_day", "-created_at", "-pk"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today, tomorrow = today_and_tomorrow()
    return render(
        request,
        "partnership/absences/child_absences.html",
        {
            "child": child,
            "form": form,
            "page": page,
            "today": today,
            "tomorrow": tomorrow,
            "viewer_side": side_of(request.user, child),
            "team": TeamSettings.objects.for_centre(child.group.centre),
        },
    )


@login_required
@require_POST
def absence_withdraw(request, pk):
    absence = get_object_or_404(Absence.objects.visible_to(request.user).select_related("child"), pk=pk)
    if withdraw_absence(absence, request.user):
        messages.success(request, _("The absence has been withdrawn."))
    else:
        messages.error(request, _("This absence can no longer be withdrawn."))
    return redirect(absence.get_absolute_url())


@login_required
def team_settings(request, pk):
    """A manager sets until when absences count as on time and when the team answers messages."""
    centre = get_object_or_404(Centre.objects.managed_by(request.user), pk=pk)
    # The row exists from the first look, so two managers editing the defaults at once each carry its version.
    instance, _created = TeamSettings.objects.get_or_create(centre=centre)
    form = TeamSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid() and form.save_unless_stale():
        messages.success(request, _("The settings of %(centre)s have been saved.") % {"centre": centre})
        return redirect(centre)
    return render(
        request,
        "partnership/absences/team_settings.html",
        {"form": form, "centre": centre, "title": _("Absences and messages at %(centre)s") % {"centre": centre}},
    )
