"""Privacy pages: the statement, a family's consent, download, access log and account closing; the manager's side."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import outbox

from ..models import AccessLog, AccountDeletionRequest, Centre, Child, roles_of
from ..tasks import send_account_closed_email
from .export import FamilyExport
from .forms import AccessLogFilterForm, ConsentForm, DeletionRequestForm, LeavingForm, RetentionForm
from .services import (
    awaiting_consent,
    can_close_account,
    confirm_account_deletion,
    deletion_date,
    own_children,
    pending_consent_url,
    record_consent,
    request_account_deletion,
)

LOG_PAGE_SIZE = 50


def privacy_statement(request):
    """What is stored, why, who sees it, how long, and how to use each right; with the person's centres."""
    centres = Centre.objects.visible_to(request.user) if request.user.is_authenticated else Centre.objects.none()
    return render(request, "children/privacy/statement.html", {"centres": centres})


@login_required
def my_privacy(request):
    """A parent's privacy overview per child; links to the centre pages for a manager."""
    roles = roles_of(request.user)
    children = own_children(request.user).select_related("group__centre").order_by("first_name", "pk")
    unanswered = set(awaiting_consent(request.user).values_list("pk", flat=True)) if "parent" in roles else set()
    deletion = AccountDeletionRequest.objects.filter(user=request.user).pending().first()
    return render(
        request,
        "children/privacy/mine.html",
        {
            "children": children,
            "unanswered": unanswered,
            "deletion": deletion,
            "managed_centres": Centre.objects.managed_by(request.user) if "manager" in roles else [],
        },
    )


def _own_child(request, pk):
    return get_object_or_404(own_children(request.user).select_related("group__centre"), pk=pk)


@login_required
def consent_edit(request, pk):
    child = _own_child(request, pk)
    history = child.consent_changes.select_related("changed_by")
    answered = history.exists()
    form = ConsentForm(request.POST or None, child=child, answered=answered)
    if request.method == "POST" and form.is_valid():
        changes = record_consent(child, request.user, form.cleaned_data)
        if changes:
            messages.success(request, _("Your choices for %(child)s have been saved.") % {"child": child.first_name})
        else:
            messages.success(request, _("Nothing changed for %(child)s.") % {"child": child.first_name})
        if request.GET.get("welcome"):
            return redirect(pending_consent_url(request.user) or "home")
        return redirect("children:my_privacy")
    return render(
        request,
        "children/privacy/consent.html",
        {"child": child, "form": form, "history": history[:50], "welcome": bool(request.GET.get("welcome"))},
    )


@login_required
def child_export(request, pk):
    """The family's own data about one child and the parent, as a ZIP."""
    child = _own_child(request, pk)
    export = FamilyExport(request.user, child)
    return FileResponse(export.as_temporary_file(), as_attachment=True, filename=export.filename())


@login_required
def child_access_log(request, pk):
    """Who at the centre read this child's data, for its parents."""
    child = _own_child(request, pk)
    entries = AccessLog.objects.filter(child=child).select_related("user").order_by("-at", "-pk")
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "children/privacy/access_log.html", {"child": child, "page": page})


@login_required
def deletion_request(request):
    """A parent asks for their account to be closed; the centre's manager confirms."""
    if "parent" not in roles_of(request.user):
        raise Http404
    pending = AccountDeletionRequest.objects.filter(user=request.user).pending().first()
    allowed = can_close_account(request.user)
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST" and allowed and pending is None and form.is_valid():
        request_account_deletion(request.user, form.cleaned_data["reason"])
        messages.success(request, _("Your request has been sent to the centre. You will get an email once it is done."))
        return redirect("children:my_privacy")
    children = own_children(request.user).select_related("group__centre")
    return render(
        request,
        "children/privacy/deletion_request.html",
        {"form": form, "pending": pending, "allowed": allowed, "children": children},
    )


@login_required
@require_POST
def deletion_cancel(request):
    pending = get_object_or_404(AccountDeletionRequest.objects.filter(user=request.user).pending())
    pending.cancelled_at = timezone.now()
    pending.save(update_fields=["cancelled_at"])
    messages.success(request, _("Your request to close your account has been withdrawn."))
    return redirect("children:my_privacy")


# The manager's side -------------------------------------------------------------------------------------------


def _managed_centre(request, pk):
    return get_object_or_404(Centre.objects.managed_by(request.user), pk=pk)


@login_required
def centre_privacy(request, pk):
    """Retention period, children who left and when their data goes, and requests to close an account."""
    centre = _managed_centre(request, pk)
    form = RetentionForm(request.POST or None, instance=centre)
    if request.method == "POST" and form.is_valid() and form.save_unless_stale():
        messages.success(request, _("The retention period has been saved."))
        return redirect("children:centre_privacy", pk=centre.pk)
    leavers = Child.objects.filter(group__centre=centre, end_date__isnull=False).select_related("group")
    leavers = [(child, deletion_date(child, centre)) for child in leavers.order_by("end_date", "pk")]
    current = Child.objects.current().filter(group__centre=centre).select_related("group").order_by("first_name")
    requests = (
        AccountDeletionRequest.objects.filter(centres=centre)
        .select_related("user", "confirmed_by")
        .order_by("-requested_at")[:50]
    )
    return render(
        request,
        "children/privacy/centre.html",
        {"centre": centre, "form": form, "leavers": leavers, "current": current, "requests": requests},
    )


@login_required
def child_leaving(request, pk):
    """A manager sets (or clears) a child's last day."""
    child = get_object_or_404(
        Child.objects.visible_to(request.user)
        .filter(group__centre__in=Centre.objects.managed_by(request.user))
        .select_related("group__centre"),
        pk=pk,
    )
    form = LeavingForm(request.POST or None, instance=child)
    if request.method == "POST" and form.is_valid():
        form.save()
        if child.end_date:
            messages.success(
                request,
                _("The last day of %(child)s is saved. The data will be deleted on %(date)s.")
                % {"child": child, "date": deletion_date(child)},
            )
        else:
            messages.success(request, _("%(child)s stays: no last day is set.") % {"child": child})
        return redirect("children:centre_privacy", pk=child.group.centre_id)
    return render(
        request,
        "children/privacy/leaving.html",
        {"child": child, "form": form, "centre": child.group.centre},
    )


@login_required
@require_POST
def deletion_confirm(request, pk):
    deletion = get_object_or_404(AccountDeletionRequest.objects.visible_to(request.user).pending(), pk=pk)
    centre = deletion.centres.filter(pk__in=Centre.objects.managed_by(request.user)).first()
    with transaction.atomic():  # the closed account and its last mail in the outbox, together
        result = confirm_account_deletion(deletion, request.user)
        if result:
            outbox.add(send_account_closed_email, *result)
    messages.success(request, _("The account has been closed. What the parent wrote stays with the child, unnamed."))
    return redirect("children:centre_privacy", pk=centre.pk)


@login_required
def centre_access_log(request, pk):
    """Who read which child's data at this centre."""
    centre = _managed_centre(request, pk)
    form = AccessLogFilterForm(request.GET or None, centre=centre)
    entries = AccessLog.objects.filter(child__group__centre=centre)
    child = None
    if form.is_valid() and form.cleaned_data.get("child"):
        child = form.cleaned_data["child"]
        entries = entries.filter(child=child)
    entries = entries.select_related("user", "child").order_by("-at", "-pk")
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"child={child.pk}&" if child else ""
    return render(
        request,
        "children/privacy/access_log.html",
        {"centre": centre, "page": page, "form": form, "query": query, "filtered_child": child},
    )
