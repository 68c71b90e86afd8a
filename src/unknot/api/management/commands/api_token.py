"""`api_token <username> --name ...`: makes an API token for a person and prints it once."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from unknot.api.tokens import token_create


class Command(BaseCommand):
    help = "Make an API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user called {options['username']!r}.")
        try:
            _, token = token_create(user=user, name=options["name"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(token)
