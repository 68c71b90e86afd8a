from django.contrib import admin
from django.urls import include, path

from unknot.config import health

# One namespace for /clinical/, made of two apps' pages: the chart, plans of care and visits
# (plans) and the record's evaluations and clearances (records), all named "clinical:<name>".
clinical = [
    path("", include("unknot.plans.urls_clinical")),
    path("", include("unknot.records.urls_clinical")),
]

# The audience URL spaces keep their names (site:, staffarea:, portal:) while each page lives
# with its domain: the space's own pages (home, the staff's clinic overview) plus the domain
# apps' pages for that audience.
site = [
    path("", include("unknot.site.urls")),
    path("", include("unknot.booking.urls_clinics")),
]
staffarea = [
    path("", include("unknot.staffarea.urls")),
    path("", include("unknot.patients.urls_staff")),
    path("", include("unknot.waitlist.urls_staff")),
    path("", include("unknot.billing.urls_staff")),
    path("", include("unknot.coverage.urls_staff")),
    path("", include("unknot.coverage.urls_authorisations")),
    path("", include("unknot.paperwork.urls_staff")),
]
portal = [
    path("", include("unknot.portal.urls")),
    path("", include("unknot.patients.urls_portal")),
    path("", include("unknot.booking.urls_portal")),
    path("", include("unknot.records.urls_portal")),
    path("", include("unknot.waitlist.urls_portal")),
    path("", include("unknot.billing.urls_portal")),
    path("", include("unknot.coverage.urls_portal")),
    path("", include("unknot.paperwork.urls_portal")),
]

# For the load balancer and an orchestrator, not for people (docs/deploy.md).
health_checks = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

urlpatterns = [
    path("", include((health_checks, "health"))),
    path("", include((site, "site"))),
    path("accounts/", include("unknot.accounts.urls")),
    path("staff/", include((staffarea, "staffarea"))),
    path("portal/", include((portal, "portal"))),
    path("booking/", include("unknot.booking.urls")),
    path("waitlist/", include("unknot.waitlist.urls")),
    path("certify/", include("unknot.plans.urls_certify")),
    path("intake/", include(("unknot.records.urls_intake", "intake"))),
    path("clinical/", include((clinical, "clinical"))),
    path("home-programme/", include(("unknot.plans.urls_home", "home_programme"))),
    path("api/v1/", include(("unknot.api.urls", "api"))),
    path("fhir/", include(("unknot.fhir.urls", "fhir"))),
    path("audit/", include(("unknot.audit.urls", "audit"))),
    path("emergency-access/", include(("unknot.breakglass.urls", "breakglass"))),
    # Record exports and the patient feed live in the portal's and the staff area's spaces.
    path("", include(("unknot.exports.urls", "exports"))),
    path("admin/", admin.site.urls),
]
