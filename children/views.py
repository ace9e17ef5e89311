from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Invitation
from accounts.tasks import send_invitation_email

from .forms import ChildForm, GroupForm, ParentInvitationForm, StaffInvitationForm
from .models import Centre, Child, Membership, roles_of


def home(request):
    """One home page; each role the person holds adds its own section."""
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    user = request.user
    roles = roles_of(user)
    context = {"roles": roles}
    if "parent" in roles:
        context["own_children"] = (
            Child.objects.filter(guardianships__user=user).select_related("group__centre").order_by("first_name")
        )
    if "staff" in roles:
        context["group_children"] = (
            Child.objects.current()
            .filter(group__memberships__user=user)
            .select_related("group__centre")
            .order_by("group__name", "first_name")
            .distinct()
        )
    if "manager" in roles:
        context["managed_centres"] = Centre.objects.managed_by(user).annotate(
            group_count=Count("groups", distinct=True),
            child_count=Count("groups__children", filter=Q(groups__children__end_date__isnull=True), distinct=True),
            staff_count=Count("memberships", distinct=True),
        )
    return render(request, "home.html", context)


def _managed_centre(request, pk):
    return get_object_or_404(Centre.objects.managed_by(request.user), pk=pk)


@login_required
def centre_detail(request, pk):
    centre = _managed_centre(request, pk)
    groups = centre.groups.prefetch_related(
        Prefetch("children", queryset=Child.objects.order_by("first_name")),
        Prefetch("memberships", queryset=Membership.objects.select_related("user")),
    )
    memberships = centre.memberships.select_related("user").prefetch_related("groups").order_by("role", "user__name")
    invitations = centre.invitations.pending().select_related("child")
    return render(
        request,
        "children/centre_detail.html",
        {"centre": centre, "groups": groups, "memberships": memberships, "invitations": invitations},
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
    child = get_object_or_404(Child.objects.cared_for_by(request.user).select_related("group__centre"), pk=pk)
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
    child = get_object_or_404(Child.objects.visible_to(request.user).select_related("group__centre"), pk=pk)
    guardians = child.guardianships.select_related("user")
    can_invite = Child.objects.cared_for_by(request.user).filter(pk=child.pk).exists()
    return render(
        request,
        "children/child_detail.html",
        {"child": child, "guardians": guardians, "can_invite": can_invite},
    )
