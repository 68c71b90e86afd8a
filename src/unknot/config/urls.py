from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("unknot.site.urls")),
    path("accounts/", include("unknot.accounts.urls")),
    path("staff/", include("unknot.staffarea.urls")),
    path("portal/", include("unknot.portal.urls")),
    path("booking/", include("unknot.booking.urls")),
    path("admin/", admin.site.urls),
]
