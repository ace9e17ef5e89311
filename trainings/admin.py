from django.contrib import admin

from common.concurrency import NewVersionOnAdminSaveMixin

from .models import (
    Booking,
    BookingChange,
    IntakeAnswer,
    IntakeNote,
    IntakeRequest,
    Offering,
    Participant,
    PreferredDate,
    ProgrammeStep,
    Theme,
    TrainingReminder,
    TrainingSession,
)


class ProgrammeStepInline(admin.TabularInline):
    model = ProgrammeStep
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Offering)
class OfferingAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "position", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProgrammeStepInline, ThemeInline]


class IntakeNoteInline(admin.TabularInline):
    model = IntakeNote
    extra = 0
    raw_id_fields = ["author"]


class IntakeAnswerInline(admin.TabularInline):
    model = IntakeAnswer
    extra = 0
    raw_id_fields = ["author"]
    readonly_fields = ["sent_at"]


@admin.register(IntakeRequest)
class IntakeRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "interest", "assigned_to", "created_at", "anonymised_at"]
    list_filter = ["status", "interest", "role"]
    search_fields = ["name", "email", "organisation"]
    raw_id_fields = ["assigned_to"]
    readonly_fields = ["created_at", "consent_at", "receipt_sent_at", "closed_at", "anonymised_at"]
    inlines = [IntakeNoteInline, IntakeAnswerInline]


class PreferredDateInline(admin.TabularInline):
    model = PreferredDate
    extra = 0


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


class BookingChangeInline(admin.TabularInline):
    model = BookingChange
    extra = 0
    raw_id_fields = ["by"]
    readonly_fields = ["at"]


@admin.register(Booking)
class BookingAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "trainer", "created_at"]
    list_filter = ["status", "offering", "organisation"]
    raw_id_fields = ["requested_by", "trainer", "intake_request", "centre"]
    inlines = [PreferredDateInline, TrainingSessionInline, BookingChangeInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["__str__", "booking", "role", "answered_at"]
    list_filter = ["role"]
    search_fields = ["email", "name"]
    raw_id_fields = ["booking", "user", "invited_by"]


@admin.register(TrainingReminder)
class TrainingReminderAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "kind", "due_at", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["participant", "session"]
