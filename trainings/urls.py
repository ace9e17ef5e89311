from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    # Public
    path("", views.offer, name="offer"),
    path("offer/<slug:slug>/", views.offering_detail, name="offering_detail"),
    path("contact/", views.intake_create, name="intake_create"),
    path("contact/thanks/", views.intake_thanks, name="intake_thanks"),
    # Catalogue, edited by trainers
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.offering_edit, name="offering_create"),
    path("catalogue/<int:pk>/", views.offering_edit, name="offering_edit"),
    # Intake desk
    path("intake/", views.intake_list, name="intake_list"),
    path("intake/<int:pk>/", views.intake_detail, name="intake_detail"),
    path("intake/<int:pk>/update/", views.intake_update, name="intake_update"),
    path("intake/<int:pk>/assign-me/", views.intake_assign_me, name="intake_assign_me"),
    path("intake/<int:pk>/note/", views.intake_note, name="intake_note"),
    path("intake/<int:pk>/answer/", views.intake_answer, name="intake_answer"),
    path("intake/<int:pk>/booking/", views.intake_booking, name="intake_booking"),
    # Bookings
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/new/", views.booking_create, name="booking_create"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/status/", views.booking_status, name="booking_status"),
    path("bookings/<int:pk>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<int:pk>/invite/", views.booking_invite, name="booking_invite"),
    path("bookings/<int:pk>/wishes/", views.booking_wishes, name="booking_wishes"),
    # Learning wishes of participants
    path("wishes/", views.wish_list, name="wish_list"),
    path("wishes/<int:pk>/", views.wish_form, name="wish_form"),
    path("wishes/link/<str:token>/", views.wish_form_token, name="wish_form_token"),
]
