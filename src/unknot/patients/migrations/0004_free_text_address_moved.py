# The free-text address moves into the structured one, no text lost: an address clearly
# written "street, [second line,] city, ST 12345" is taken apart; anything else goes whole
# into line 1 (the column is long enough for the old field), for a person to sort out the next
# time the record is edited. Backwards, the parts are joined again with ", ".

import re

from django.db import migrations

# Frozen here: a migration must not change meaning when the app's own lists do.
US_STATE_CODES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
})  # fmt: skip
STATE_AND_ZIP = re.compile(r"([A-Za-z]{2})\.? +(\d{5})(?:-?(\d{4}))?")
LINE_LENGTH, CITY_LENGTH = 55, 30


def parts_of(text):
    """{line1, line2, city, state, zip_code} of a clearly written address, else None."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) not in (3, 4) or not all(parts) or "\n" in text or "\r" in text:
        return None
    *lines, city, last = parts
    found = STATE_AND_ZIP.fullmatch(last)
    if found is None or found[1].upper() not in US_STATE_CODES:
        return None
    if len(city) > CITY_LENGTH or any(len(line) > LINE_LENGTH for line in lines):
        return None
    zip_code = f"{found[2]}-{found[3]}" if found[3] else found[2]
    lines.append("")
    return {
        "address_line1": lines[0], "address_line2": lines[1], "city": city,
        "state": found[1].upper(), "zip_code": zip_code,
    }  # fmt: skip


def move_address(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    for patient in Patient.objects.exclude(address="").only("pk", "address").iterator():
        moved = parts_of(patient.address) or {"address_line1": patient.address}
        Patient.objects.filter(pk=patient.pk).update(**moved)


def join_address(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    fields = ("address_line1", "address_line2", "city", "state", "zip_code")
    for patient in Patient.objects.only("pk", *fields).iterator():
        line1, line2, city, state, zip_code = (getattr(patient, f) for f in fields)
        state_and_zip = " ".join(part for part in (state, zip_code) if part)
        text = ", ".join(part for part in (line1, line2, city, state_and_zip) if part)
        if text:
            Patient.objects.filter(pk=patient.pk).update(address=text[:300])


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0003_sex_and_us_address'),
    ]

    operations = [
        migrations.RunPython(move_address, join_address),
    ]
