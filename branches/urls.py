from django.urls import path

from branches import urls_records, views

app_name = "branches"
urlpatterns = [
    path("", views.branch_list, name="branch_list"),
    path("mine/", views.my_branch, name="my_branch"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity_update"),
    path("activities/<int:pk>/photos/", views.activity_add_photos, name="activity_add_photos"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/", views.branch_detail, name="branch_detail"),
    path("<int:pk>/edit/", views.branch_update, name="branch_update"),
    path("<int:pk>/new-child/", views.branch_create_child, name="branch_create_child"),
    path("<int:pk>/officers/new/", views.officer_create, name="officer_create"),
    path("<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("<int:pk>/dues/", views.dues_ledger, name="dues_ledger"),
]
urlpatterns += urls_records.urlpatterns
