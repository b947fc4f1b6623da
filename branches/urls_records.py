from django.urls import path

from branches import views_records

# Included into branches.urls under the "branches" namespace.
urlpatterns: list = [
    path("<int:pk>/rating/", views_records.rating_set, name="rating_set"),
    path("<int:pk>/points/", views_records.branch_points, name="branch_points"),
    path("commendations/", views_records.commendation_list, name="commendation_list"),
    path("commendations/new/", views_records.commendation_create, name="commendation_create"),
    path("commendations/<int:pk>/delete/", views_records.commendation_delete, name="commendation_delete"),
    path("alliances/", views_records.alliance_list, name="alliance_list"),
    path("alliances/new/", views_records.alliance_create, name="alliance_create"),
    path("alliances/<int:pk>/delete/", views_records.alliance_delete, name="alliance_delete"),
    path("studios/", views_records.studio_list, name="studio_list"),
    path("studios/new/", views_records.studio_create, name="studio_create"),
    path("studios/<int:pk>/edit/", views_records.studio_update, name="studio_update"),
]
