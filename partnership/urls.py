from django.urls import path

from .views import notifications, observations

app_name = "partnership"

urlpatterns = [
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read-all/", notifications.notification_mark_all_read, name="notification_mark_all_read"),
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
