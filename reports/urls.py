from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compliance/", views.compliance, name="compliance"),
    path("annual/", views.annual, name="annual"),
    path("annual/organisations/", views.annual_organisations, name="annual_organisations"),
]
