from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: a member of staff or a patient using the portal.

    What they may see is decided by their StaffMember row (role and clinics) or their
    Patient row, never by Django's is_staff flag, which only opens the admin site.
    """

    email = models.EmailField("email address", unique=True)

    @property
    def is_practice_staff(self) -> bool:
        return hasattr(self, "staff_member") and self.is_active

    @property
    def is_patient_user(self) -> bool:
        return hasattr(self, "patient") and self.is_active
