"""/fhir/: the FHIR R4 interface (namespace "fhir")."""

urlpatterns: list[object] = []
