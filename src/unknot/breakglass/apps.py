from django.apps import AppConfig


class BreakGlassConfig(AppConfig):
    name = "unknot.breakglass"
    label = "breakglass"
    verbose_name = "Emergency (break-glass) access"
