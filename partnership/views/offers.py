from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.models import Centre, roles_of
from notifications.services import notify

from ..forms.offers import HelpRequestForm, OfferFilterForm, ParentOfferForm
from ..models import HelpRequest, ParentOffer


@login_required
def offer_list(request):
    """A parent's own offers and the requests for help they received; staff browse their centres' offers."""
    user = request.user
    roles = roles_of(user)
    context = {"roles": roles}
    if "parent" in roles:
        context["own_offers"] = ParentOffer.objects.visible_to(user).filter(person=user).select_related("centre")
        context["help_requests"] = (
            HelpRequest.objects.visible_to(user)
            .filter(offer__person=user, event__starts_at__gt=timezone.now())
            .select_related("event", "offer", "asked_by")
        )
    if Centre.objects.worked_at_by(user).exists():
        filters = OfferFilterForm(request.GET or None, user=user)
        offers = filters.filter(
            ParentOffer.objects.browsable_by(user).select_related("person", "centre").order_by("kind", "person__name")
        )
        context["filters"] = filters
        context["page"] = Paginator(offers, 25).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    return render(request, "partnership/offers/offer_list.html", context)


@login_required
def offer_create(request):
    form = ParentOfferForm(request.POST or None, user=request.user)
    if not form.fields["centre"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        form.instance.person = request.user
        form.save()
        messages.success(request, _("Thank you! The staff of your centre can now see what you would like to do."))
        return redirect("partnership:offer_list")
    return render(request, "partnership/offers/offer_form.html", {"form": form, "title": _("What I would like to do")})


def _own_offer(request, pk):
    return get_object_or_404(ParentOffer.objects.visible_to(request.user).filter(person=request.user), pk=pk)


@login_required
def offer_edit(request, pk):
    offer = _own_offer(request, pk)
    form = ParentOfferForm(request.POST or None, instance=offer, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your offer has been saved."))
        return redirect("partnership:offer_list")
    return render(
        request, "partnership/offers/offer_form.html", {"form": form, "offer": offer, "title": _("Change my offer")}
    )


@login_required
@require_POST
def offer_delete(request, pk):
    offer = _own_offer(request, pk)
    offer.delete()
    messages.success(request, _("Your offer has been removed."))
    return redirect("partnership:offer_list")


@login_required
def offer_detail(request, pk):
    offer = get_object_or_404(ParentOffer.objects.visible_to(request.user).select_related("person", "centre"), pk=pk)
    can_ask = ParentOffer.objects.browsable_by(request.user).filter(pk=offer.pk).exists()
    form = HelpRequestForm(request.POST or None, offer=offer, user=request.user) if can_ask else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            help_request = form.save(commit=False)
            help_request.offer = offer
            help_request.asked_by = request.user
            help_request.save()
            event = help_request.event
            notify(
                [offer.person],
                lambda: (
                    _("%(name)s asks whether you would like to help with %(event)s.")
                    % {"name": request.user, "event": event.title}
                ),
                reverse("partnership:offer_list"),
                exclude=request.user,
            )
            messages.success(request, _("Your question has been sent to %(name)s.") % {"name": offer.person})
            return redirect(offer)
    help_requests = offer.help_requests.select_related("event", "asked_by")
    context = {"offer": offer, "form": form, "help_requests": help_requests, "can_ask": can_ask}
    return render(request, "partnership/offers/offer_detail.html", context)


@login_required
@require_POST
def help_request_answer(request, pk):
    help_request = get_object_or_404(
        HelpRequest.objects.visible_to(request.user).filter(offer__person=request.user).select_related("event"), pk=pk
    )
    answer = request.POST.get("answer")
    if answer not in (HelpRequest.Answer.YES, HelpRequest.Answer.NO):
        messages.error(request, _("Choose yes or no."))
        return redirect("partnership:offer_list")
    help_request.answer = answer
    help_request.answered_at = timezone.now()
    help_request.save(update_fields=["answer", "answered_at"])
    event = help_request.event
    if help_request.asked_by:
        notify(
            [help_request.asked_by],
            lambda: (
                (
                    _("%(name)s would like to help with %(event)s.")
                    if answer == HelpRequest.Answer.YES
                    else _("%(name)s cannot help with %(event)s this time.")
                )
                % {"name": request.user, "event": event.title}
            ),
            help_request.offer.get_absolute_url(),
            exclude=request.user,
        )
    messages.success(request, _("Thank you for your answer."))
    return redirect("partnership:offer_list")
