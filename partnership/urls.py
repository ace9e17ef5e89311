from django.urls import path

from .views import agreements, child_page, events, observations, offers

app_name = "partnership"

urlpatterns = [
    path("children/<int:pk>/", child_page.child_detail, name="child_detail"),
    path("children/<int:pk>/observations/new/", observations.observation_create, name="observation_create"),
    path("children/<int:pk>/tips/", observations.child_tips, name="child_tips"),
    path("observations/<int:pk>/", observations.observation_detail, name="observation_detail"),
    path("observations/<int:pk>/edit/", observations.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/delete/", observations.observation_delete, name="observation_delete"),
    path("observations/<int:pk>/seen/", observations.observation_mark_seen, name="observation_mark_seen"),
    path("observations/<int:pk>/replies/", observations.reply_create, name="reply_create"),
    path("replies/<int:pk>/edit/", observations.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/delete/", observations.reply_delete, name="reply_delete"),
    path("replies/<int:pk>/outcome/", observations.tip_outcome, name="tip_outcome"),
    path("photos/<int:pk>/", observations.observation_photo, name="observation_photo"),
    path("photos/<int:pk>/thumbnail/", observations.observation_photo_thumbnail, name="observation_photo_thumbnail"),
    path("groups/overview/", observations.group_overview, name="group_overview"),
]

# Events, calendar, agreements and parent offers.
urlpatterns += [
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<int:pk>/answer/", events.event_respond, name="event_respond"),
    path("events/<int:pk>/attendees/", events.event_attendees, name="event_attendees"),
    path("events/<int:pk>/attendees.csv", events.event_attendees_csv, name="event_attendees_csv"),
    path("events/<int:pk>/event.ics", events.event_ics, name="event_ics"),
    path("calendar/", events.calendar_settings, name="calendar_settings"),
    path("calendar/renew/", events.calendar_reset, name="calendar_reset"),
    path("calendar/feed/<str:token>.ics", events.calendar_feed, name="calendar_feed"),
    path("agreements/", agreements.agreement_overview, name="agreement_overview"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/accept/", agreements.agreement_accept, name="agreement_accept"),
    path("agreements/<int:pk>/change/", agreements.agreement_change, name="agreement_change"),
    path("agreements/<int:pk>/end/", agreements.agreement_end, name="agreement_end"),
    path("centres/<int:pk>/agreements/new/", agreements.centre_agreement_create, name="centre_agreement_create"),
    path("centre-agreements/<int:pk>/edit/", agreements.centre_agreement_edit, name="centre_agreement_edit"),
    path("centre-agreements/<int:pk>/delete/", agreements.centre_agreement_delete, name="centre_agreement_delete"),
    path("children/<int:pk>/agreements/", agreements.child_agreements, name="child_agreements"),
    path("children/<int:pk>/agreements/new/", agreements.child_agreement_create, name="child_agreement_create"),
    path("offers/", offers.offer_list, name="offer_list"),
    path("offers/new/", offers.offer_create, name="offer_create"),
    path("offers/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/delete/", offers.offer_delete, name="offer_delete"),
    path("help-requests/<int:pk>/answer/", offers.help_request_answer, name="help_request_answer"),
]

# The mentor, talks between parents and the mentor, and the handover to school.
from .views import handover, mentors, talks  # noqa: E402

urlpatterns += [
    path("children/<int:pk>/mentor/", mentors.mentor_assign, name="mentor_assign"),
    path("talk-rounds/", talks.talk_round_list, name="talk_round_list"),
    path("talk-rounds/new/", talks.talk_round_create, name="talk_round_create"),
    path("talk-rounds/schedule/", talks.talk_day_schedule, name="talk_day_schedule"),
    path("talk-rounds/<int:pk>/", talks.talk_round_detail, name="talk_round_detail"),
    path("talk-rounds/<int:pk>/book/", talks.talk_round_book, name="talk_round_book"),
    path("talk-slots/<int:pk>/cancel/", talks.talk_slot_cancel, name="talk_slot_cancel"),
    path("talk-slots/<int:pk>/talk.ics", talks.talk_slot_ics, name="talk_slot_ics"),
    path("talk-slots/<int:pk>/", talks.talk_detail, name="talk_detail"),
    path("talk-slots/<int:pk>/prepare/", talks.talk_prepare, name="talk_prepare"),
    path("talk-slots/<int:pk>/topics/", talks.talk_topics, name="talk_topics"),
    path("talk-slots/<int:pk>/report/", talks.talk_report, name="talk_report"),
    path("talk-slots/<int:pk>/react/", talks.talk_react, name="talk_react"),
    path("children/<int:pk>/handover/", handover.handover_start, name="handover_start"),
    path("handovers/<int:pk>/", handover.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/edit/", handover.handover_edit, name="handover_edit"),
    path("handovers/<int:pk>/share/", handover.handover_share, name="handover_share"),
    path("handovers/<int:pk>/parent-view/", handover.handover_parent_view, name="handover_parent_view"),
    path("handovers/<int:pk>/consent/", handover.handover_consent, name="handover_consent"),
    path("handovers/<int:pk>/send/", handover.handover_send, name="handover_send"),
    path("handovers/<int:pk>/handover.pdf", handover.handover_pdf, name="handover_pdf"),
    path("handover-links/<int:pk>/revoke/", handover.handover_link_revoke, name="handover_link_revoke"),
    path("school/handover/<str:token>/", handover.handover_for_school, name="handover_for_school"),
    path("centres/<int:pk>/handovers/", handover.centre_handovers, name="centre_handovers"),
]

# Absence, and the team's settings for absences and messages.
from .views import absences  # noqa: E402

urlpatterns += [
    path("children/<int:pk>/absences/", absences.child_absences, name="child_absences"),
    path("absences/<int:pk>/withdraw/", absences.absence_withdraw, name="absence_withdraw"),
    path("centres/<int:pk>/team-settings/", absences.team_settings, name="team_settings"),
]

# Messages to the team.
from .views import messages as team_messages  # noqa: E402

urlpatterns += [
    path("messages/", team_messages.message_inbox, name="message_inbox"),
    path("children/<int:pk>/messages/", team_messages.child_messages, name="child_messages"),
]

# Group moments.
from .views import moments  # noqa: E402

urlpatterns += [
    path("group-moments/", moments.moment_list, name="moment_list"),
    path("groups/<int:pk>/moments/new/", moments.moment_create, name="moment_create"),
    path("group-moments/<int:pk>/", moments.moment_detail, name="moment_detail"),
    path("group-moments/<int:pk>/photos/", moments.moment_photos, name="moment_photos"),
    path("group-moments/<int:pk>/edit/", moments.moment_edit, name="moment_edit"),
    path("group-moments/<int:pk>/delete/", moments.moment_delete, name="moment_delete"),
    path("group-moments/<int:pk>/replies/", moments.moment_reply, name="moment_reply"),
    path("moment-replies/<int:pk>/edit/", moments.moment_reply_edit, name="moment_reply_edit"),
    path("moment-replies/<int:pk>/delete/", moments.moment_reply_delete, name="moment_reply_delete"),
    path("moment-photos/<int:pk>/", moments.moment_photo, name="moment_photo"),
    path("moment-photos/<int:pk>/thumbnail/", moments.moment_photo_thumbnail, name="moment_photo_thumbnail"),
]

# Questions that start a parent's reply, and which of them get answers.
from .views import prompts  # noqa: E402

urlpatterns += [
    path("groups/questions/", prompts.prompt_answers, name="prompt_answers"),
]
