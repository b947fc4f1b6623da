from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("cadres/", include("cadres.urls")),
    path("branches/", include("branches.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("outreach/", include("outreach.urls")),
    path("benefits/", include("benefits.urls")),
    path("education/", include("education.urls")),
    path("reminders/", include("reminders.urls")),
    path("imports/", include("imports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
