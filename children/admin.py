from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.concurrency import NewVersionOnAdminSaveMixin

from .models import (
    AccessLog,
    AccountDeletionRequest,
    Centre,
    Child,
    ConsentChange,
    FamilyMember,
    Group,
    Guardianship,
    Membership,
    Organisation,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Centre)
class CentreAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "retention_months"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "centre"]
    list_filter = ["centre"]


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Child)
class ChildAdmin(NewVersionOnAdminSaveMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "group", "date_of_birth", "start_date", "end_date"]
    list_filter = ["group__centre"]
    search_fields = ["first_name", "last_name"]
    inlines = [GuardianshipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "role", "organisation_wide"]
    list_filter = ["role", "organisation_wide", "centre"]
    raw_id_fields = ["user"]
    filter_horizontal = ["groups"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept for accountability: readable in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "child", "what"]
    list_filter = ["what", "child__group__centre"]
    list_select_related = ["user", "child"]
    date_hierarchy = "at"


@admin.register(ConsentChange)
class ConsentChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "child", "kind", "old_value", "new_value", "changed_by"]
    list_filter = ["kind"]
    list_select_related = ["child", "changed_by"]


@admin.register(AccountDeletionRequest)
class AccountDeletionRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "user", "confirmed_at", "confirmed_by", "cancelled_at"]
    list_select_related = ["user", "confirmed_by"]


@admin.register(FamilyMember)
class FamilyMemberAdmin(admin.ModelAdmin):
    list_display = ["child", "user", "invited_by", "created_at", "revoked_at"]
    raw_id_fields = ["child", "user", "invited_by", "revoked_by"]
