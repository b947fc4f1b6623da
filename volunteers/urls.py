from django.urls import path

from volunteers import views, views_records

app_name = "volunteers"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_update, name="team_update"),
    path("teams/<int:pk>/new-child/", views.team_create_child, name="team_create_child"),
    path("teams/<int:pk>/members/new/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_update, name="project_update"),
    path("patrol-areas/", views.patrol_area_list, name="patrol_area_list"),
    path("patrol-areas/new/", views.patrol_area_create, name="patrol_area_create"),
    path("patrol-areas/<int:pk>/", views.patrol_area_detail, name="patrol_area_detail"),
    path("patrol-areas/<int:pk>/edit/", views.patrol_area_update, name="patrol_area_update"),
    path("chiefs/", views.chief_post_list, name="chief_post_list"),
    path("chiefs/new/", views.chief_post_create, name="chief_post_create"),
    path("chiefs/<int:pk>/", views.chief_post_detail, name="chief_post_detail"),
    path("chiefs/<int:pk>/edit/", views.chief_post_update, name="chief_post_update"),
    path("records/", views_records.record_list, name="record_list"),
    path("records/new/", views_records.record_create, name="record_create"),
    path("records/<int:pk>/", views_records.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", views_records.record_update, name="record_update"),
    path("records/<int:pk>/photos/", views_records.record_add_photos, name="record_add_photos"),
    path("records/<int:pk>/delete/", views_records.record_delete, name="record_delete"),
    path("wishes/", views_records.wish_list, name="wish_list"),
    path("wishes/new/", views_records.wish_create, name="wish_create"),
    path("wishes/<int:pk>/", views_records.wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/claim/", views_records.wish_claim, name="wish_claim"),
    path("wishes/<int:pk>/fulfil/", views_records.wish_fulfil, name="wish_fulfil"),
    path("wishes/<int:pk>/withdraw/", views_records.wish_withdraw, name="wish_withdraw"),
]
