from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Centre, Child, Group, Guardianship, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
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
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "group", "date_of_birth", "start_date", "end_date"]
    list_filter = ["group__centre"]
    search_fields = ["first_name", "last_name"]
    inlines = [GuardianshipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "role"]
    list_filter = ["role", "centre"]
    raw_id_fields = ["user"]
    filter_horizontal = ["groups"]
