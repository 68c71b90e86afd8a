from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "unknot.booking"
    label = "booking"
