"""The portal's URLs plus a stock Django admin for the cadre table, the reference to beat."""

from django.contrib import admin
from django.urls import include, path

from cadres.models import Cadre

stock_site = admin.AdminSite(name="stock_admin")
stock_site.register(Cadre)  # a plain ModelAdmin: full COUNT(*), OFFSET paging, default ordering

urlpatterns = [
    path("stock-admin/", stock_site.urls),
    path("", include("cadre_portal.urls")),
]
