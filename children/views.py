from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from notifications import outbox

from .forms import ChildForm, ChildProfileForm, GroupForm
from .history import profile_changes
from .models import Centre, Child, Membership
from .privacy.access import record_access


def _managed_centre(request, pk):
    return get_object_or_404(Centre.objects.managed_by(request.user), pk=pk)


@login_required
def centre_detail(request, pk):
    centre = _managed_centre(request, pk)
    # The same children the manager's home counts: current ones; those who left are listed apart.
    groups = centre.groups.prefetch_related(
        Prefetch("children", queryset=Child.objects.current().order_by("first_name", "pk"), to_attr="current"),
        Prefetch(
            "children",
            queryset=Child.objects.exclude(pk__in=Child.objects.current()).order_by("-end_date", "pk"),
            to_attr="former",
        ),
        Prefetch("memberships", queryset=Membership.objects.select_related("user")),
    )
    memberships = centre.memberships.select_related("user").prefetch_related("groups").order_by("role", "user__name")
    invitations = list(centre.invitations.pending().select_related("child"))
    # An invitation whose email could not be sent (a lasting error): the manager has to pass it on.
    failed = set(outbox.failed_topics([outbox.topic_of(invitation) for invitation in invitations]))
    for invitation in invitations:
        invitation.mail_failed = outbox.topic_of(invitation) in failed
    needing_mentor = (
        Child.objects.filter(group__centre=centre)
        .current()
        .needing_mentor()
        .select_related("group", "mentor")
        .order_by("group__name", "first_name")
    )
    return render(
        request,
        "children/centre_detail.html",
        {
            "centre": centre,
            "groups": groups,
            "memberships": memberships,
            "invitations": invitations,
            "needing_mentor": needing_mentor,
        },
    )


@login_required
def group_create(request, pk):
    centre = _managed_centre(request, pk)
    form = GroupForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Group %(group)s has been added.") % {"group": group})
        return redirect(centre)
    return render(request, "children/form.html", {"form": form, "centre": centre, "title": _("Add a group")})


@login_required
def child_create(request, pk):
    centre = _managed_centre(request, pk)
    form = ChildForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        child = form.save()
        messages.success(request, _("%(child)s has been added. Now invite the parents.") % {"child": child})
        return redirect("accounts:invite_parent", pk=child.pk)
    return render(request, "children/form.html", {"form": form, "centre": centre, "title": _("Add a child")})


@login_required
def child_profile_edit(request, pk):
    """Parents and the child's staff keep "about me" up to date together; every change goes into the history."""
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    record_access(request, child, "profile")
    professional = Child.objects.cared_for_by(request.user).filter(pk=child.pk).exists()
    manager = Centre.objects.managed_by(request.user).filter(pk=child.group.centre_id).exists()
    is_parent = child.guardianships.filter(user=request.user).exists()
    form = ChildProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=child,
        can_edit_details=professional,
        can_move_group=manager,
    )
    if request.method == "POST" and form.is_valid() and form.save_unless_stale():
        messages.success(request, _("The profile of %(child)s has been saved.") % {"child": child.first_name})
        if form.cleaned_data.get("photo_upload") and not child.photo_consent:
            messages.warning(
                request,
                _(
                    "The parents of %(child)s have not given consent for photos. "
                    "The photo is kept, but nobody sees it until they do."
                )
                % {"child": child.first_name},
            )
        return redirect(f"{child.get_absolute_url()}#profile")
    return render(
        request,
        "children/profile_form.html",
        {
            "form": form,
            "child": child,
            "warn_no_consent": not child.photo_consent and not is_parent,
            "title": _("About %(child)s") % {"child": child.first_name},
        },
    )


@login_required
def child_profile_history(request, pk):
    """Who changed what in the profile, and when; visible to parents and staff alike."""
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    record_access(request, child, "profile")
    history = child.history.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(history, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "children/profile_history.html",
        {"child": child, "page": page, "changes": profile_changes(history, list(page.object_list))},
    )


def _child_photo(request, pk):
    child = get_object_or_404(Child.objects.visible_to(request.user), pk=pk)
    if not child.show_photo:
        raise Http404
    return child


def _serve_photo(field_file):
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def child_photo(request, pk):
    child = _child_photo(request, pk)
    record_access(request, child, "photo")
    return _serve_photo(child.photo)


@login_required
def child_photo_thumbnail(request, pk):
    """The small photo on the child's page, which is logged as the page itself."""
    return _serve_photo(_child_photo(request, pk).photo_thumbnail)
