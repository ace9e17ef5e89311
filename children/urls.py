from django.urls import path

from . import views

app_name = "children"

urlpatterns = [
    path("centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("centres/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("centres/<int:pk>/children/new/", views.child_create, name="child_create"),
    path("centres/<int:pk>/invite/", views.invite_staff, name="invite_staff"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/invite-parent/", views.invite_parent, name="invite_parent"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
