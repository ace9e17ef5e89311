from django.urls import path

from .views import notifications

app_name = "partnership"

urlpatterns = [
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read-all/", notifications.notification_mark_all_read, name="notification_mark_all_read"),
]
