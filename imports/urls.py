from django.urls import path

from imports import views
from imports.registry import resources

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    # One fixed URL per resource: a template is the same for every user, nothing to scope.
    *(
        path(f"{slug}/template.xlsx", views.template_download, {"resource": slug}, name=f"template_{slug}")
        for slug in resources()
    ),
    *(
        path(f"{slug}/records.xlsx", views.records_download, {"resource": slug}, name=f"records_{slug}")
        for slug, resource in resources().items()
        if getattr(resource, "queryset", None) is not None
    ),
]
