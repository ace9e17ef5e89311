from django.urls import path

from . import views
from .privacy import views as privacy_views

app_name = "children"

urlpatterns = [
    path("centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("centres/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("centres/<int:pk>/children/new/", views.child_create, name="child_create"),
    path("children/<int:pk>/profile/", views.child_profile_edit, name="child_profile_edit"),
    path("children/<int:pk>/profile/history/", views.child_profile_history, name="child_profile_history"),
    path("children/<int:pk>/photo/", views.child_photo, name="child_photo"),
    path("children/<int:pk>/photo/thumbnail/", views.child_photo_thumbnail, name="child_photo_thumbnail"),
    path("privacy/", privacy_views.privacy_statement, name="privacy_statement"),
    path("privacy/mine/", privacy_views.my_privacy, name="my_privacy"),
    path("privacy/close-account/", privacy_views.deletion_request, name="deletion_request"),
    path("privacy/close-account/withdraw/", privacy_views.deletion_cancel, name="deletion_cancel"),
    path("privacy/requests/<int:pk>/confirm/", privacy_views.deletion_confirm, name="deletion_confirm"),
    path("children/<int:pk>/consent/", privacy_views.consent_edit, name="consent_edit"),
    path("children/<int:pk>/download/", privacy_views.child_export, name="child_export"),
    path("children/<int:pk>/access-log/", privacy_views.child_access_log, name="child_access_log"),
    path("children/<int:pk>/leaving/", privacy_views.child_leaving, name="child_leaving"),
    path("centres/<int:pk>/privacy/", privacy_views.centre_privacy, name="centre_privacy"),
    path("centres/<int:pk>/access-log/", privacy_views.centre_access_log, name="centre_access_log"),
]
