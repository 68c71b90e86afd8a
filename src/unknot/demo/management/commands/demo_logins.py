from typing import Any

from django.core.management.base import BaseCommand

from unknot.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from unknot.demo.load import demo_code, demo_journeys, demo_logins


class Command(BaseCommand):
    help = "Prints the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for username, role, where in demo_logins():
            self.stdout.write(f"  {username:<22} {role:<32} {where}")
        self.stdout.write("\nCare journeys to look at (charts, home programme, progress):")
        for tour in demo_journeys():
            self.stdout.write(f"\n  {tour.name}, {tour.stage}")
            self.stdout.write(f"    as the patient:   {tour.patient:<20} {' '.join(tour.portal)}")
            staff = " ".join(tour.staff) or "(load the demo first)"
            self.stdout.write(f"    as the therapist: {tour.therapist:<20} {staff}")
        self.stdout.write(
            "\nStaff are asked for a code from an authenticator app after the password. Add this"
            f" demo key to your app once: {DEMO_TOTP_SECRET}\n(or run `python -m unknot.manage"
            f" demo_code` for the code of this moment; it is {demo_code()} now)."
        )
        self.stdout.write("\nOpen http://127.0.0.1:8000/ and sign in at /accounts/login/.\n")
