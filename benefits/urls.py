from django.urls import path

from benefits import views

app_name = "benefits"
urlpatterns = [
    path("occasions/", views.occasion_list, name="occasion_list"),
    path("occasions/new/", views.occasion_create, name="occasion_create"),
    path("occasions/<int:pk>/", views.occasion_detail, name="occasion_detail"),
    path("occasions/<int:pk>/edit/", views.occasion_update, name="occasion_update"),
    path("occasions/<int:pk>/delete/", views.occasion_delete, name="occasion_delete"),
    path("occasions/<int:pk>/visit/", views.occasion_visit, name="occasion_visit"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("visits/<int:pk>/photos/", views.visit_add_photos, name="visit_add_photos"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("contacts/", views.assignment_list, name="assignment_list"),
    path("contacts/new/", views.assignment_create, name="assignment_create"),
    path("contacts/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("contacts/<int:pk>/log/", views.assignment_log, name="assignment_log"),
    path("contacts/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("contacts/log/", views.contact_log_list, name="contact_log_list"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/generate/", views.campaign_generate, name="campaign_generate"),
    path("targets/<int:pk>/tick/", views.target_tick, name="target_tick"),
    path("health-checks/", views.health_check_list, name="health_check_list"),
    path("health-checks/new/", views.health_check_create, name="health_check_create"),
    path("trips/", views.trip_list, name="trip_list"),
    path("trips/new/", views.trip_create, name="trip_create"),
    path("trips/<int:pk>/", views.trip_detail, name="trip_detail"),
    path("trips/<int:pk>/participants/", views.trip_participant_add, name="trip_participant_add"),
    path("medals/", views.medal_list, name="medal_list"),
    path("medals/due/", views.medal_due, name="medal_due"),
    path("medals/new/", views.medal_create, name="medal_create"),
]
