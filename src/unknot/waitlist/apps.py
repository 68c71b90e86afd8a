from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "unknot.waitlist"
    label = "waitlist"

    def ready(self) -> None:
        # Booking sits below the waitlist and cannot import it: it runs what the waitlist
        # hands it here. A freed time is offered to the people waiting (in the background,
        # once the cancellation has committed); a booking takes its patient off the list.
        from unknot.booking import hooks
        from unknot.waitlist.offers import when_slot_frees
        from unknot.waitlist.services import leave_when_booked

        hooks.register(after_booked=leave_when_booked, after_slot_freed=when_slot_frees)
