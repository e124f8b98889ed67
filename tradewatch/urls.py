from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "TradeWatch editors"
admin.site.site_title = "TradeWatch"
admin.site.index_title = "Reports, claims and the timeline"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("timeline.urls")),
]
