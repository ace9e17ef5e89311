from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Notification, OutboxMail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "message", "created_at", "read_at", "emailed_at"]
    raw_id_fields = ["recipient"]


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("Waiting")), ("failed", _("Failed")), ("sent", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "failed":
            return queryset.failed()
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    """What the portal still has to send, and what it could not: failed rows with their error."""

    list_display = ["task", "args", "topic", "created_at", "attempts", "next_attempt_at", "sent_at", "failed_at"]
    list_filter = [OutboxStateFilter, "task"]
    search_fields = ["task", "topic", "last_error"]
    readonly_fields = [
        "task",
        "args",
        "kwargs",
        "topic",
        "created_at",
        "attempts",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    actions = ["try_again"]

    @admin.action(description=_("Try the selected failed rows again"))
    def try_again(self, request, queryset):
        count = queryset.failed().update(failed_at=None, attempts=0, next_attempt_at=timezone.now())
        self.message_user(request, _("%(count)d rows will be sent again by the next sweep.") % {"count": count})
