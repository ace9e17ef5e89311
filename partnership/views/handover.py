from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from children.models import Centre, Child

from ..forms.talks import (
    HandoverAgeForm,
    HandoverConsentForm,
    HandoverForm,
    HandoverParentViewForm,
    HandoverSendForm,
)
from ..models import Handover, HandoverLink
from ..models.handover import born_on_or_before, months_old
from ..talks_services import (
    answer_handover_consent,
    log_handover_access,
    may_draft_handover,
    revoke_handover_link,
    save_handover_draft,
    save_parent_view,
    send_handover,
    share_handover_with_parents,
)


def _handover_for(request, pk):
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related("child__group__centre", "mentor", "parent_view_by"),
        pk=pk,
    )
    is_parent = handover.child.guardianships.filter(user=request.user).exists()
    return handover, is_parent, may_draft_handover(request.user, handover.child)


@login_required
def handover_start(request, pk):
    """The child's handover: opened by the mentor from the age the centre set, else shown if it exists."""
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    existing = Handover.objects.visible_to(request.user).filter(child=child).first()
    if existing is not None:
        return redirect(existing)
    if not may_draft_handover(request.user, child):
        raise Http404
    if months_old(child) < child.group.centre.handover_from_months:
        messages.info(request, _("The handover to school can be drafted from the age the centre has set."))
        return redirect(child)
    if request.method == "POST":
        handover, _created = Handover.objects.get_or_create(child=child, defaults={"mentor": request.user})
        messages.success(request, _("The handover is started. Write what the school should know."))
        return redirect("partnership:handover_edit", pk=handover.pk)
    return render(request, "partnership/talks/handover_start.html", {"child": child})


@login_required
def handover_detail(request, pk):
    handover, is_parent, mentor = _handover_for(request, pk)
    if not is_parent:
        log_handover_access(handover.child, request.user, "handover")
    context = {
        "handover": handover,
        "child": handover.child,
        "is_parent": is_parent,
        "is_mentor": mentor,
        "links": handover.links.all(),
    }
    if is_parent:
        context["view_form"] = HandoverParentViewForm(instance=handover)
        context["consent_form"] = HandoverConsentForm()
    if mentor and handover.may_be_sent:
        context["send_form"] = HandoverSendForm()
    return render(request, "partnership/talks/handover_detail.html", context)


@login_required
def handover_edit(request, pk):
    handover, _is_parent, mentor = _handover_for(request, pk)
    if not mentor or handover.status == Handover.Status.SENT:
        raise Http404
    form = HandoverForm(request.POST or None, instance=handover)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False)
        save_handover_draft(handover, request.user, changed=bool(form.changed_data))
        messages.success(request, _("The handover is saved."))
        return redirect(handover)
    return render(request, "partnership/talks/handover_form.html", {"form": form, "handover": handover})


@login_required
@require_POST
def handover_share(request, pk):
    handover, _is_parent, mentor = _handover_for(request, pk)
    if not mentor:
        raise Http404
    if handover.status != Handover.Status.DRAFT:
        messages.info(request, _("The parents can already read the handover."))
    else:
        share_handover_with_parents(handover, request.user)
        messages.success(request, _("The parents can now read the handover and give their consent."))
    return redirect(handover)


@login_required
def handover_parent_view(request, pk):
    handover, is_parent, _mentor = _handover_for(request, pk)
    if not is_parent or handover.status == Handover.Status.SENT:
        raise Http404
    form = HandoverParentViewForm(request.POST or None, instance=handover)
    if request.method == "POST" and form.is_valid():
        save_parent_view(handover, request.user, form.cleaned_data["parent_view"])
        messages.success(request, _("Your view is added to the handover."))
        return redirect(handover)
    return render(request, "partnership/talks/handover_parent_form.html", {"form": form, "handover": handover})


@login_required
@require_POST
def handover_consent(request, pk):
    handover, is_parent, _mentor = _handover_for(request, pk)
    if not is_parent:
        raise Http404
    form = HandoverConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes or no."))
        return redirect(handover)
    agree = form.cleaned_data["answer"] == "yes"
    if answer_handover_consent(handover, request.user, agree) is None:
        messages.error(request, _("The handover has already been sent; consent can no longer be changed."))
    elif agree:
        messages.success(request, _("Thank you. The mentor may now send the handover to the school."))
    else:
        messages.success(request, _("The handover will not be shared with the school."))
    return redirect(handover)


@login_required
@require_POST
def handover_send(request, pk):
    handover, _is_parent, mentor = _handover_for(request, pk)
    if not mentor:
        raise Http404
    form = HandoverSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the school, and the name and email of the school contact."))
        return redirect(handover)
    try:
        link = send_handover(handover, request.user, language=translation.get_language(), **form.cleaned_data)
    except OSError:  # the mail server refused or could not be reached: nothing was recorded as sent
        messages.error(request, _("The email could not be sent just now. Nothing was shared; please try again later."))
        return redirect(handover)
    if link is None:
        messages.error(request, _("Without the parents' consent the handover cannot be sent."))
    else:
        messages.success(
            request, _("The handover has been sent to %(email)s.") % {"email": form.cleaned_data["contact_email"]}
        )
    return redirect(handover)


@login_required
@require_POST
def handover_link_revoke(request, pk):
    link = get_object_or_404(HandoverLink.objects.visible_to(request.user).select_related("handover__child"), pk=pk)
    handover = link.handover
    is_parent = handover.child.guardianships.filter(user=request.user).exists()
    if not (is_parent or may_draft_handover(request.user, handover.child)):
        raise Http404
    revoke_handover_link(link, request.user)
    messages.success(request, _("The school's link no longer works."))
    return redirect(handover)


@login_required
def handover_pdf(request, pk):
    """The parents take the handover to school themselves; every download is in the access log."""
    handover, is_parent, mentor = _handover_for(request, pk)
    if not (is_parent or mentor) or handover.status == Handover.Status.DRAFT:
        raise Http404
    log_handover_access(handover.child, request.user, "handover_pdf")
    from weasyprint import HTML

    html = render_to_string("partnership/talks/handover_document.html", {"handover": handover, "pdf": True})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="overdracht-{handover.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def handover_for_school(request, token):
    """No account: the token opens this one document, read-only, until it expires or is revoked."""
    link = HandoverLink.objects.for_token(token)
    if link is None:
        raise Http404
    HandoverLink.objects.filter(pk=link.pk).update(opened_count=F("opened_count") + 1)
    log_handover_access(link.handover.child, None, "handover_school")
    response = render(request, "partnership/talks/handover_school.html", {"handover": link.handover, "link": link})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def centre_handovers(request, pk):
    """The manager's view: children old enough for the handover, its state, and the age the centre uses."""
    centre = get_object_or_404(Centre.objects.managed_by(request.user), pk=pk)
    months = centre.handover_from_months  # the saved age: an invalid form changes the instance it edits
    form = HandoverAgeForm(request.POST or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The age for the handover is saved."))
        return redirect("partnership:centre_handovers", pk=centre.pk)
    born_before = born_on_or_before(timezone.localdate(), months)
    children = (
        Child.objects.filter(group__centre=centre, date_of_birth__lte=born_before)
        .current()
        .select_related("group", "mentor")
        .prefetch_related("handovers")
        .order_by("date_of_birth", "pk")
    )
    page = Paginator(children, 30).get_page(request.GET.get("page"))
    return render(request, "partnership/talks/centre_handovers.html", {"centre": centre, "form": form, "page": page})
