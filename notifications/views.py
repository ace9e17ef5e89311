from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification


@login_required
def notification_list(request):
    """Opening the list marks what it shows as read; those that were unread stay highlighted on this page."""
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    unread = [notification.pk for notification in page.object_list if notification.read_at is None]
    if unread:
        Notification.objects.for_user(request.user).unread().filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if url_has_allowed_host_and_scheme(notification.url, {request.get_host()}, request.is_secure()):
        return redirect(notification.url)
    return redirect("notifications:notification_list")


@login_required
@require_POST
def notification_mark_all_read(request):
    count = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:notification_list")
