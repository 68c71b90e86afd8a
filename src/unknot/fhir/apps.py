from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "unknot.fhir"
    label = "fhir"
