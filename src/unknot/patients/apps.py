from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "unknot.patients"
    label = "patients"
