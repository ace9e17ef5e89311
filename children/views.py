from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Invitation
from accounts.tasks import send_invitation_email

from .forms import ChildForm, ChildProfileForm, GroupForm, ParentInvitationForm, StaffInvitationForm
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
    invitations = centre.invitations.pending().select_related("child")
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
        return redirect("children:invite_parent", pk=child.pk)
    return render(request, "children/form.html", {"form": form, "centre": centre, "title": _("Add a child")})


def _send_invitation(request, invitation):
    send_invitation_email.delay_on_commit(invitation.pk, translation.get_language())
    messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})


@login_required
def invite_staff(request, pk):
    centre = _managed_centre(request, pk)
    form = StaffInvitationForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        form.instance.invited_by = request.user
        invitation = form.save()
        _send_invitation(request, invitation)
        return redirect(centre)
    return render(request, "children/form.html", {"form": form, "centre": centre, "title": _("Invite a colleague")})


@login_required
def invite_parent(request, pk):
    """Staff of the child's group or a manager of its centre invites a parent, at enrolment."""
    # A child who left has no parents to invite any more.
    child = get_object_or_404(
        Child.objects.cared_for_by(request.user).current().select_related("group__centre"), pk=pk
    )
    form = ParentInvitationForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        form.instance.invited_by = request.user
        invitation = form.save()
        _send_invitation(request, invitation)
        return redirect(child)
    return render(
        request,
        "children/form.html",
        {"form": form, "child": child, "title": _("Invite a parent of %(child)s") % {"child": child}},
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user).pending(), pk=pk)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    messages.success(request, _("The invitation for %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect(invitation.centre)


@login_required
def child_detail(request, pk):
    """The child's own page: about me, the shared timeline of home and centre, and the tips that were tried."""
    from partnership.timeline import timeline_context

    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre", "mentor"), pk=pk)
    context = {"child": child, **timeline_context(request, child)}
    record_access(request, child, "timeline")
    if request.htmx and request.htmx.target == "timeline":
        return render(request, "partnership/observations/_timeline.html", context)
    context["guardians"] = child.guardianships.select_related("user")
    context["can_invite"] = Child.objects.cared_for_by(request.user).current().filter(pk=child.pk).exists()
    return render(request, "children/child_detail.html", context)


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
