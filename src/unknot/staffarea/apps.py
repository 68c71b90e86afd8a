from django.apps import AppConfig


class StaffareaConfig(AppConfig):
    name = "unknot.staffarea"
    label = "staffarea"
