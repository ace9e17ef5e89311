from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.models import Child, Group, roles_of
from children.privacy.access import record_access_many

from ..forms.moments import MomentForm, MomentReplyEditForm, MomentReplyForm, PhotoMarkForm
from ..models.moments import GroupMoment, MomentPhoto, MomentReply, family_children
from ..models.observations import Side
from ..models.prompts import Prompt
from ..services.moments import reply_to_moment, share_moment
from .observations import _serve

LIST_PAGE_SIZE = 20


def _staff_group(request, pk):
    """A group the user works on (staff of the group, or manager of its centre)."""
    return get_object_or_404(Group.objects.worked_on_by(request.user).select_related("centre"), pk=pk)


def _without_consent(children):
    return [child for child in children if not child.group_photo_consent]


def _warn_consent_after_upload(request, moment):
    hidden = [photo for photo in moment.photos.prefetch_related("children") if photo.hidden_reason()]
    if hidden and any(photo.marked_at for photo in hidden):
        messages.warning(
            request,
            _("Some photos are shown to no parent, because a child in them has no consent for group photos."),
        )


@login_required
def moment_create(request, pk):
    group = _staff_group(request, pk)
    form = MomentForm(request.POST or None, request.FILES or None, group=group)
    if request.method == "POST" and form.is_valid():
        moment, created = share_moment(form, request.user)
        if not created:
            messages.info(request, _("This moment had already been saved."))
            return redirect(moment)
        if form.cleaned_data.get("photos"):
            messages.success(request, _("The moment has been shared. Now mark who is in each photo."))
            return redirect("partnership:moment_photos", pk=moment.pk)
        messages.success(request, _("The moment has been shared with the parents."))
        return redirect(moment)
    return render(
        request,
        "partnership/moments/moment_form.html",
        {
            "form": form,
            "group": group,
            "without_consent": _without_consent(form.fields["children"].queryset),
            "title": _("New group moment for %(group)s") % {"group": group},
        },
    )


def _moment_for_viewer(request, pk):
    moment = get_object_or_404(
        GroupMoment.objects.visible_to(request.user).select_related("group__centre", "author"), pk=pk
    )
    staff = Group.objects.worked_on_by(request.user).filter(pk=moment.group_id).exists()
    return moment, staff


@login_required
def moment_detail(request, pk):
    """A moment with its photos and, per child, the thread of replies: staff see every child's, a family its own."""
    moment, staff = _moment_for_viewer(request, pk)
    children = moment.children.order_by("first_name", "pk")
    if not staff:
        children = children.filter(pk__in=family_children(request.user))
    children = list(
        children.prefetch_related(
            Prefetch(
                "moment_replies",
                queryset=MomentReply.objects.filter(moment=moment).select_related("author").order_by("created_at"),
                to_attr="thread",
            )
        )
    )
    record_access_many(request, children, "moment")
    photos = list(
        MomentPhoto.objects.visible_to(request.user).filter(moment=moment).prefetch_related("children").order_by("pk")
    )
    if not staff:
        photos = [photo for photo in photos if photo.is_ready]
    side = Side.CENTRE if staff else Side.HOME
    # A question chosen under the moment starts the reply.
    prompt = request.GET.get("prompt") if request.GET.get("prompt") in Prompt.values else ""
    threads = [
        (child, MomentReplyForm(moment=moment, child=child, side=side, initial={"prompt": prompt}))
        for child in children
    ]
    return render(
        request,
        "partnership/moments/moment_detail.html",
        {"moment": moment, "staff": staff, "photos": photos, "threads": threads},
    )


@login_required
def moment_photos(request, pk):
    """Staff mark who is in each photo; until then a photo is shown to no parent."""
    moment = get_object_or_404(
        GroupMoment.objects.visible_to(request.user).filter(group__in=Group.objects.worked_on_by(request.user)), pk=pk
    )
    photos = list(moment.photos.prefetch_related("children").order_by("pk"))
    form = PhotoMarkForm(request.POST or None, moment=moment, photos=photos)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved who is in the photos."))
        _warn_consent_after_upload(request, moment)
        return redirect(moment)
    return render(
        request,
        "partnership/moments/moment_photos.html",
        {
            "moment": moment,
            "form": form,
            "without_consent": _without_consent(moment.children.all()),
            "title": _("Who is in the photos?"),
        },
    )


@login_required
def moment_edit(request, pk):
    moment = get_object_or_404(
        GroupMoment.objects.visible_to(request.user).filter(author=request.user).select_related("group"), pk=pk
    )
    if not moment.can_edit(request.user):
        messages.error(request, _("A moment can only be changed in the first 24 hours."))
        return redirect(moment)
    form = MomentForm(request.POST or None, request.FILES or None, instance=moment, group=moment.group)
    del form.fields["token"]
    if request.method == "POST" and form.is_valid():
        form.save_changes()
        messages.success(request, _("The moment has been changed."))
        if form.cleaned_data.get("photos"):
            return redirect("partnership:moment_photos", pk=moment.pk)
        return redirect(moment)
    return render(
        request,
        "partnership/moments/moment_form.html",
        {
            "form": form,
            "group": moment.group,
            "moment": moment,
            "without_consent": _without_consent(form.fields["children"].queryset),
            "title": _("Change group moment"),
        },
    )


@login_required
def moment_delete(request, pk):
    moment = get_object_or_404(
        GroupMoment.objects.visible_to(request.user).filter(author=request.user).select_related("group"), pk=pk
    )
    if moment.is_deleted:
        return redirect("partnership:moment_list")
    if request.method == "POST":
        moment.soft_delete()
        messages.success(request, _("The moment has been deleted. Replies stay readable for the families."))
        return redirect("partnership:moment_list")
    return render(
        request,
        "partnership/observations/confirm_delete.html",
        {"object": moment, "title": _("Delete this moment?"), "cancel_url": moment.get_absolute_url()},
    )


@login_required
@require_POST
def moment_reply(request, pk):
    """A reply in one child's thread under a moment (the child named in the form): its family or its staff."""
    moment, staff = _moment_for_viewer(request, pk)
    child_pk = request.POST.get("child", "")
    if not child_pk.isdigit():
        messages.error(request, _("Choose the child your reply is about."))
        return redirect(moment)
    child = get_object_or_404(
        Child.objects.readable_by(request.user).filter(pk__in=moment.children.values("pk")), pk=int(child_pk)
    )
    if not staff and not family_children(request.user).filter(pk=child.pk).exists():
        raise Http404
    if not moment.can_reply():
        messages.error(request, _("This moment has been deleted; you can no longer reply."))
        return redirect(moment)
    form = MomentReplyForm(request.POST, moment=moment, child=child, side=Side.CENTRE if staff else Side.HOME)
    if form.is_valid():
        reply, created = reply_to_moment(form, request.user)
        if created:
            messages.success(request, _("Your reply has been saved."))
        return redirect(reply.get_absolute_url())
    messages.error(request, " ".join(str(e) for e in form.errors.get("text", [])) or _("Write your reply first."))
    return redirect(moment)


def _own_moment_reply(request, pk):
    """The user's own reply under a moment, in a thread of a child they still read; 404 otherwise."""
    return get_object_or_404(
        MomentReply.objects.visible_to(request.user).filter(author=request.user).select_related("moment", "child"),
        pk=pk,
    )


@login_required
def moment_reply_edit(request, pk):
    reply = _own_moment_reply(request, pk)
    if not reply.can_edit(request.user):
        messages.error(request, _("A reply can only be changed in the first 24 hours."))
        return redirect(reply.get_absolute_url())
    form = MomentReplyEditForm(request.POST or None, instance=reply)
    if request.method == "POST" and form.is_valid() and form.save_unless_stale():
        messages.success(request, _("Your reply has been changed."))
        return redirect(reply.get_absolute_url())
    return render(
        request,
        "partnership/observations/reply_form.html",
        {"form": form, "reply": reply, "child": reply.child, "title": _("Change reply")},
    )


@login_required
def moment_reply_delete(request, pk):
    reply = _own_moment_reply(request, pk)
    if reply.is_deleted:
        return redirect(reply.moment)
    if request.method == "POST":
        reply.soft_delete()
        messages.success(request, _("Your reply has been deleted."))
        return redirect(reply.moment)
    return render(
        request,
        "partnership/observations/confirm_delete.html",
        {
            "child": reply.child,
            "object": reply,
            "title": _("Delete this reply?"),
            "cancel_url": reply.get_absolute_url(),
        },
    )


@login_required
def moment_list(request):
    """Staff: the moments of their groups, newest first, with a button per group to write a new one."""
    roles = roles_of(request.user)
    if not roles & {"staff", "manager"}:
        raise Http404
    groups = Group.objects.worked_on_by(request.user).select_related("centre").order_by("centre__name", "name")
    moments = (
        GroupMoment.objects.visible_to(request.user)
        .filter(group__in=groups)
        .alive()
        .select_related("group", "author")
        .prefetch_related("photos")
        .order_by("-happened_on", "-created_at", "-pk")
    )
    page = Paginator(moments, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnership/moments/moment_list.html", {"page": page, "groups": groups})


@login_required
def moment_photo(request, pk):
    photo = get_object_or_404(MomentPhoto.objects.visible_to(request.user).ready().select_related("moment"), pk=pk)
    children = list(photo.children.all())
    record_access_many(request, children, "photo")
    return _serve(photo.image)


@login_required
def moment_photo_thumbnail(request, pk):
    photo = get_object_or_404(MomentPhoto.objects.visible_to(request.user).ready(), pk=pk)
    return _serve(photo.thumbnail)
