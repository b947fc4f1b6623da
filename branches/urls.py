from django.urls import path

from branches import views

app_name = "branches"
urlpatterns = [
    path("", views.branch_list, name="branch_list"),
    path("<int:pk>/", views.branch_detail, name="branch_detail"),
    path("<int:pk>/edit/", views.branch_update, name="branch_update"),
    path("<int:pk>/new-child/", views.branch_create_child, name="branch_create_child"),
    path("<int:pk>/officers/new/", views.officer_create, name="officer_create"),
]
