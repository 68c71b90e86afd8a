from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("unknot.site.urls")),
    path("accounts/", include("unknot.accounts.urls")),
    path("staff/", include("unknot.staffarea.urls")),
    path("portal/", include("unknot.portal.urls")),
    path("booking/", include("unknot.booking.urls")),
    path("intake/", include(("unknot.records.urls_intake", "intake"))),
    path("clinical/", include(("unknot.records.urls_clinical", "clinical"))),
    path("care/", include(("unknot.plans.urls_home", "care"))),
    path("api/v1/", include(("unknot.api.urls", "api"))),
    path("fhir/", include(("unknot.fhir.urls", "fhir"))),
    path("audit/", include(("unknot.audit.urls", "audit"))),
    path("emergency-access/", include(("unknot.breakglass.urls", "breakglass"))),
    # Record exports and the patient feed live in the portal's and the staff area's spaces.
    path("", include(("unknot.exports.urls", "exports"))),
    path("admin/", admin.site.urls),
]
