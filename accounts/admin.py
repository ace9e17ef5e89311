from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_trainer", "is_staff", "is_active"]
    list_filter = ["is_trainer", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "language", "notification_preference"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_trainer", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "centre", "child", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "centre"]
    search_fields = ["email", "name"]
    raw_id_fields = ["child", "invited_by", "accepted_by"]
    readonly_fields = ["token", "created_at"]
