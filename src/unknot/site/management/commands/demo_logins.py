from typing import Any

from django.core.management.base import BaseCommand

from unknot.demo.data import DEMO_PASSWORD
from unknot.demo.load import demo_logins


class Command(BaseCommand):
    help = "Prints the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for username, role, where in demo_logins():
            self.stdout.write(f"  {username:<22} {role:<32} {where}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/ and sign in at /accounts/login/.\n")
