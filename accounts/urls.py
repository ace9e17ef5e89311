from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("preferences/", views.preferences, name="preferences"),
    path("centres/<int:pk>/invite/", views.invite_staff, name="invite_staff"),
    path("children/<int:pk>/invite-parent/", views.invite_parent, name="invite_parent"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("children/<int:pk>/family/", views.child_family, name="child_family"),
    path("family-members/<int:pk>/revoke/", views.family_member_revoke, name="family_member_revoke"),
    path("invitations/<int:pk>/family-revoke/", views.family_invitation_revoke, name="family_invitation_revoke"),
]
