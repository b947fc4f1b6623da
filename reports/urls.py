from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compliance/", views.compliance, name="compliance"),
]
