from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "unknot.booking"
    label = "booking"

    def ready(self) -> None:
        # Patients sits below booking and cannot import it: the attendance flag on the
        # patient's page is handed to it here.
        from unknot.booking.attendance import patient_page_flags
        from unknot.patients import hooks

        hooks.register(flags=patient_page_flags)
