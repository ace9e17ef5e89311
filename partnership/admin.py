from django.contrib import admin

from common.concurrency import NewVersionOnAdminSaveMixin

from .models import (
    CalendarFeed,
    CentreAgreement,
    ChildAgreement,
    Event,
    Handover,
    HandoverLink,
    HelpRequest,
    Observation,
    ObservationPhoto,
    ParentOffer,
    Reminder,
    Reply,
    Rsvp,
    TalkRound,
    TalkSlot,
    TipOutcome,
)


class ObservationPhotoInline(admin.TabularInline):
    model = ObservationPhoto
    extra = 0
    fields = ["image", "width", "height", "created_at"]
    readonly_fields = fields


@admin.register(Observation)
class ObservationAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["child", "author", "side", "theme", "created_at", "deleted_at"]
    list_filter = ["side", "theme"]
    raw_id_fields = ["child", "author", "seen_by"]
    inlines = [ObservationPhotoInline]


@admin.register(Reply)
class ReplyAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["observation", "author", "side", "created_at", "deleted_at"]
    raw_id_fields = ["observation", "author"]


@admin.register(TipOutcome)
class TipOutcomeAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["tip", "author", "result", "created_at"]
    raw_id_fields = ["tip", "author"]


class RsvpInline(admin.TabularInline):
    model = Rsvp
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Event)
class EventAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "centre", "starts_at"]
    list_filter = ["kind", "centre"]
    raw_id_fields = ["created_by"]
    inlines = [RsvpInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["event", "person", "kind", "due_at", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["event", "person"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at"]
    raw_id_fields = ["person"]


@admin.register(CentreAgreement)
class CentreAgreementAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["title", "centre", "kind", "updated_at"]
    list_filter = ["kind", "centre"]
    raw_id_fields = ["updated_by"]


@admin.register(ChildAgreement)
class ChildAgreementAdmin(NewVersionOnAdminSaveMixin, admin.ModelAdmin):
    list_display = ["title", "child", "status", "review_date"]
    list_filter = ["status"]
    raw_id_fields = ["child", "proposed_by", "accepted_by"]


@admin.register(ParentOffer)
class ParentOfferAdmin(admin.ModelAdmin):
    list_display = ["person", "centre", "kind"]
    list_filter = ["kind", "centre"]
    raw_id_fields = ["person"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["offer", "event", "asked_by", "answer", "created_at"]
    raw_id_fields = ["offer", "event", "asked_by"]


# Talks and the handover to school: for support only; the handover's text stays out of the list pages.


@admin.register(TalkRound)
class TalkRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "centre", "group", "created_by", "booking_deadline"]
    list_filter = ["centre"]
    raw_id_fields = ["centre", "group", "created_by", "children"]


@admin.register(TalkSlot)
class TalkSlotAdmin(admin.ModelAdmin):
    list_display = ["round", "starts_at", "child", "booked_at"]
    raw_id_fields = ["round", "child", "booked_by"]


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ["child", "mentor", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["child", "mentor", "parent_view_by", "consent_by"]


@admin.register(HandoverLink)
class HandoverLinkAdmin(admin.ModelAdmin):
    list_display = ["handover", "contact_name", "expires_at", "revoked_at", "opened_count"]
    raw_id_fields = ["handover", "created_by"]
    readonly_fields = ["token_hash", "opened_count"]


# Absence, messages to the team, group moments: for looking things up, changed through the portal.
from .models import Absence, GroupMoment, MomentPhoto, MomentReply, TeamMessage, TeamSettings  # noqa: E402


@admin.register(TeamSettings)
class TeamSettingsAdmin(admin.ModelAdmin):
    list_display = ["centre", "absence_cutoff", "answer_from", "answer_until", "answer_days"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["child", "reason", "first_day", "last_day", "is_late", "side", "created_at", "withdrawn_at"]
    list_filter = ["reason", "is_late", "side"]
    raw_id_fields = ["child", "author"]


@admin.register(TeamMessage)
class TeamMessageAdmin(admin.ModelAdmin):
    list_display = ["child", "author", "side", "created_at", "read_at"]
    list_filter = ["side"]
    raw_id_fields = ["child", "author", "read_by"]


class MomentPhotoInline(admin.TabularInline):
    model = MomentPhoto
    extra = 0
    fields = ["image", "marked_at", "status", "created_at"]
    readonly_fields = fields


@admin.register(GroupMoment)
class GroupMomentAdmin(admin.ModelAdmin):
    list_display = ["group", "theme", "happened_on", "author", "created_at", "deleted_at"]
    list_filter = ["theme"]
    raw_id_fields = ["group", "author", "children"]
    inlines = [MomentPhotoInline]


@admin.register(MomentReply)
class MomentReplyAdmin(admin.ModelAdmin):
    list_display = ["moment", "child", "author", "side", "prompt", "created_at", "deleted_at"]
    list_filter = ["side", "prompt"]
    raw_id_fields = ["moment", "child", "author"]
