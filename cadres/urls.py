from django.urls import path

from cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
    path("roster.xlsx", views.cadre_roster_export, name="cadre_roster_export"),
    path("new/", views.cadre_create, name="cadre_create"),
    path("<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("<int:pk>/edit/", views.cadre_update, name="cadre_update"),
    path("<int:pk>/transfer/", views.cadre_transfer, name="cadre_transfer"),
]
