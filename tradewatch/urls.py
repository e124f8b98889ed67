from django.contrib import admin
from django.urls import include, path

from . import views
from .admin_login import ThrottledAdminAuthenticationForm

admin.site.site_header = "TradeWatch editors"
admin.site.site_title = "TradeWatch"
admin.site.index_title = "Reports, claims and the timeline"
# Refuses sign-ins after repeated failures (tradewatch/admin_login.py).
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("", include("timeline.urls")),
]
