"""The CapabilityStatement lists what is served, and what is served is documented."""

import re
from pathlib import Path

from django.urls import reverse

from tests.fhir.conftest import as_user, fhir
from unknot.fhir.registry import REGISTRY

DOCS = Path(__file__).resolve().parents[2] / "docs" / "fhir.md"


def _served(capability: dict) -> dict[str, dict]:
    return {entry["type"]: entry for entry in capability["rest"][0]["resource"]}


def test_metadata_is_public_and_a_valid_capability_statement(db):
    body = fhir(as_user(None).get(reverse("fhir:metadata")))
    assert body["resourceType"] == "CapabilityStatement"
    assert body["fhirVersion"] == "4.0.1" and body["format"] == ["json"]
    assert body["implementation"]["url"] == "http://testserver/fhir/"


def test_metadata_lists_every_served_type_with_its_interactions_and_parameters(db):
    served = _served(fhir(as_user(None).get(reverse("fhir:metadata"))))
    assert set(served) == set(REGISTRY)
    for name, kind in REGISTRY.items():
        entry = served[name]
        assert [i["code"] for i in entry["interaction"]] == list(kind.interactions)
        assert [p["name"] for p in entry.get("searchParam", [])] == list(kind.param_names)
    assert {"read", "search-type", "create", "update", "patch"} == {
        i["code"] for i in served["Appointment"]["interaction"]
    }
    assert [i["code"] for i in served["QuestionnaireResponse"]["interaction"]] == ["read", "create"]


def test_every_interaction_in_the_statement_has_a_url(db):
    for name, kind in REGISTRY.items():
        if "search-type" in kind.interactions or "create" in kind.interactions:
            assert reverse(f"fhir:{name.lower()}_type") == f"/fhir/{name}"
        if "read" in kind.interactions:
            path = reverse(f"fhir:{name.lower()}_instance", args=["1"])
            assert path == f"/fhir/{name}/1"


def test_every_served_resource_type_is_documented_in_docs_fhir():
    text = DOCS.read_text()
    headings = set(re.findall(r"^### (\w+)", text, flags=re.MULTILINE))
    missing = set(REGISTRY) - headings
    assert missing == set(), f"docs/fhir.md has no '### <Type>' section for: {sorted(missing)}"
    for name, kind in REGISTRY.items():
        section = text.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]
        for param in kind.param_names:
            assert f"`{param}`" in section, f"docs/fhir.md: {name} does not explain `{param}`"
