from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.models import Centre, Child
from children.privacy.access import record_access
from common.concurrency import VersionConflict

from ..forms.agreements import CentreAgreementForm, ChildAgreementForm
from ..models import CentreAgreement, ChildAgreement
from ..services import agreements as agreement_services


@login_required
def agreement_overview(request):
    """The frame at a glance: the house agreements of my centres and the agreements about children."""
    centres = Centre.objects.visible_to(request.user).prefetch_related("agreements")
    managed = set(Centre.objects.managed_by(request.user).values_list("pk", flat=True))
    children_agreements = (
        ChildAgreement.objects.visible_to(request.user)
        .current()
        .select_related("child")
        .annotate(
            order=Case(
                When(status=ChildAgreement.Status.PROPOSED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("order", "review_date", "pk")
    )
    page = Paginator(children_agreements, 25).get_page(request.GET.get("page"))
    context = {"centres": centres, "managed": managed, "page": page}
    return render(request, "partnership/agreements/overview.html", context)


@login_required
def centre_agreement_create(request, pk):
    centre = get_object_or_404(Centre.objects.managed_by(request.user), pk=pk)
    form = CentreAgreementForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        form.instance.centre = centre
        form.instance.updated_by = request.user
        form.save()
        messages.success(
            request, _("The agreement has been added. Parents of %(centre)s can read it now.") % {"centre": centre}
        )
        return redirect("partnership:agreement_overview")
    title = _("New agreement for %(centre)s") % {"centre": centre}
    return render(request, "partnership/agreements/form.html", {"form": form, "title": title})


@login_required
def centre_agreement_edit(request, pk):
    agreement = get_object_or_404(CentreAgreement.objects.managed_by(request.user).select_related("centre"), pk=pk)
    form = CentreAgreementForm(request.POST or None, instance=agreement, centre=agreement.centre)
    form.instance.updated_by = request.user
    if request.method == "POST" and form.is_valid() and form.save_unless_stale():
        messages.success(request, _("The agreement has been saved."))
        return redirect("partnership:agreement_overview")
    return render(
        request,
        "partnership/agreements/form.html",
        {"form": form, "title": _("Change agreement"), "centre_agreement": agreement},
    )


@login_required
@require_POST
def centre_agreement_delete(request, pk):
    agreement = get_object_or_404(CentreAgreement.objects.managed_by(request.user), pk=pk)
    agreement.delete()
    messages.success(request, _("The agreement %(title)s has been removed.") % {"title": agreement.title})
    return redirect("partnership:agreement_overview")


@login_required
def child_agreements(request, pk):
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    record_access(request, child, "agreements")
    agreements = child.agreements.order_by("status", "-updated_at").select_related("proposed_by", "accepted_by")
    centre_agreements = CentreAgreement.objects.filter(centre=child.group.centre_id)
    context = {
        "child": child,
        "agreements": agreements,
        "centre_agreements": centre_agreements,
        "side": ChildAgreement.side_of(request.user, child),
    }
    return render(request, "partnership/agreements/child_agreements.html", context)


@login_required
def child_agreement_create(request, pk):
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    side = ChildAgreement.side_of(request.user, child)
    if side is None:
        raise Http404
    form = ChildAgreementForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        agreement.child = child
        agreement_services.propose(agreement, request.user, side)
        messages.success(request, _("Your proposal has been sent. The other side can accept it or suggest a change."))
        return redirect(agreement)
    title = _("Propose an agreement for %(child)s") % {"child": child.first_name}
    return render(request, "partnership/agreements/form.html", {"form": form, "title": title, "child": child})


def _child_agreement(request, pk):
    return get_object_or_404(ChildAgreement.objects.visible_to(request.user).select_related("child__group"), pk=pk)


@login_required
def agreement_detail(request, pk):
    agreement = _child_agreement(request, pk)
    record_access(request, agreement.child, "agreements")
    side = ChildAgreement.side_of(request.user, agreement.child)
    history = agreement.history.select_related("history_user").order_by("-history_date")[:20]
    context = {
        "agreement": agreement,
        "child": agreement.child,
        "side": side,
        "can_accept": side is not None and side == agreement.awaiting_side,
        "history": history,
    }
    return render(request, "partnership/agreements/detail.html", context)


@login_required
@require_POST
def agreement_accept(request, pk):
    """Accept the version of the proposal the person was shown (the form names it), and no other."""
    agreement = _child_agreement(request, pk)
    side = ChildAgreement.side_of(request.user, agreement.child)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    if _accepted_by_this_click(agreement, request.user, version):
        messages.info(request, _("You had already accepted this agreement."))
        return redirect(agreement)
    if version is not None and version != agreement.version:
        _refuse_changed_agreement(request, agreement)
        return redirect(agreement)
    if side is None or side != agreement.awaiting_side:
        messages.error(request, _("This proposal is waiting for the other side."))
        return redirect(agreement)
    if version is None:
        messages.error(request, _("This form is incomplete. Open the page again and redo your change."))
        return redirect(agreement)
    try:
        agreement_services.accept(agreement, request.user, version)
    except VersionConflict as conflict:
        if _accepted_by_this_click(conflict.current, request.user, version):
            messages.info(request, _("You had already accepted this agreement."))
        else:
            _refuse_changed_agreement(request, conflict.current)
        return redirect(agreement)
    messages.success(
        request,
        _("Agreed. You will both get a reminder on %(date)s to look at it again.")
        % {"date": date_format(agreement.review_date, "j F Y")},
    )
    return redirect(agreement)


def _accepted_by_this_click(agreement, user, version):
    """A double click: the first request already accepted exactly the version this one names."""
    return (
        agreement.status == ChildAgreement.Status.ACCEPTED
        and agreement.accepted_by_id == user.pk
        and version is not None
        and agreement.version == version + 1
    )


def _refuse_changed_agreement(request, current):
    messages.error(
        request,
        _(
            "The agreement was changed after you opened it, so it has not been accepted. "
            "It now reads: “%(title)s: %(text)s”. Read it again and accept it if you agree."
        )
        % {"title": current.title, "text": current.text},
    )


@login_required
def agreement_change(request, pk):
    agreement = _child_agreement(request, pk)
    side = ChildAgreement.side_of(request.user, agreement.child)
    if side is None or agreement.status == ChildAgreement.Status.ENDED:
        raise Http404
    form = ChildAgreementForm(request.POST or None, instance=agreement, child=agreement.child)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.save_unless_stale(lambda: agreement_services.propose(form.save(commit=False), request.user, side))
    ):
        messages.success(request, _("Your suggestion has been sent to the other side."))
        return redirect(agreement)
    title = _("Suggest a change")
    return render(
        request,
        "partnership/agreements/form.html",
        {"form": form, "title": title, "child": agreement.child, "agreement": agreement},
    )


@login_required
@require_POST
def agreement_end(request, pk):
    agreement = _child_agreement(request, pk)
    if ChildAgreement.side_of(request.user, agreement.child) is None:
        raise Http404
    if agreement.status != ChildAgreement.Status.ENDED:
        agreement_services.end(agreement, request.user)
        messages.success(request, _("The agreement has ended. It stays visible in the history."))
    return redirect(agreement)
