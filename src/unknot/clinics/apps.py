from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "unknot.clinics"
    label = "clinics"
