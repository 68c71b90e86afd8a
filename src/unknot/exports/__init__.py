"""Open data out of unknot: a person's whole record (FHIR Bundle and PDF), the practice's
backup (export_practice / import_practice) and a person's private calendar feed."""
