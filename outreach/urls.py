from django.urls import path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_update, name="group_update"),
    path("groups/<int:pk>/members/new/", views.group_member_add, name="group_member_add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("lecturers/", views.lecturer_list, name="lecturer_list"),
    path("lecturers/new/", views.lecturer_create, name="lecturer_create"),
    path("lecturers/<int:pk>/", views.lecturer_detail, name="lecturer_detail"),
    path("lecturers/<int:pk>/edit/", views.lecturer_update, name="lecturer_update"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/edit/", views.talk_update, name="talk_update"),
    path("talks/<int:pk>/delete/", views.talk_delete, name="talk_delete"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_update, name="campaign_update"),
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("publicity/new/", views.publicity_create, name="publicity_create"),
    path("publicity/<int:pk>/edit/", views.publicity_update, name="publicity_update"),
    path("publicity/<int:pk>/delete/", views.publicity_delete, name="publicity_delete"),
]
