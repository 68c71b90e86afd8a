"""/fhir/: the FHIR R4 interface (namespace "fhir"), one type and one instance URL per
served resource type, made from the same registry as the CapabilityStatement."""

from django.urls import URLPattern, path

from unknot.fhir import views
from unknot.fhir.registry import SERVED


def _patterns() -> list[URLPattern]:
    patterns = [path("metadata", views.metadata, name="metadata")]
    for kind in SERVED:
        name = kind.name.lower()
        if kind.search is not None or kind.create is not None:
            patterns.append(path(kind.name, views.type_view(kind), name=f"{name}_type"))
        if kind.search is not None:  # before the instance URL: "_search" is not an id
            patterns.append(
                path(f"{kind.name}/_search", views.search_view(kind), name=f"{name}_search")
            )
        if kind.read is not None:
            patterns.append(
                path(
                    f"{kind.name}/<str:resource_id>",
                    views.instance_view(kind),
                    name=f"{name}_instance",
                )
            )
    return patterns


urlpatterns = _patterns()
