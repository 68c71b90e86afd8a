"""The professional claim file: ANSI X12 837P, version 5010 (005010X222A1), docs/billing.md.

Independent of the database: the caller reads the claim into the frozen dataclasses below and
`claim_file` returns the file's text, or raises ClaimFileError with a sentence a biller can act
on. Money is Decimal, dates are the clinic's local days, the clock is the caller's.

X12 has no escape character: a separator inside a name or an address would split the segment,
so free text holding one is refused, never silently changed; accents are folded to plain
letters and everything is upper-cased (the basic character set, which every payer reads).
"""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from unknot.common.identifiers import npi_is_valid, validate_ein

IMPLEMENTATION_GUIDE = "005010X222A1"
SEGMENT_TERMINATOR = "~"
ELEMENT_SEPARATOR = "*"
COMPONENT_SEPARATOR = ":"
REPETITION_SEPARATOR = "^"
SEPARATORS = (SEGMENT_TERMINATOR, ELEMENT_SEPARATOR, COMPONENT_SEPARATOR, REPETITION_SEPARATOR)

MAX_DIAGNOSES = 12  # HI: one principal and eleven more
MAX_POINTERS = 4  # SV107
MAX_MODIFIERS = 4  # SV101-3..6
MAX_LINES = 50  # the 2400 loop's repeat in the 837P
MAX_INTERCHANGE_CONTROL_NUMBER = 999_999_999  # ISA13, nine digits

# SBR09, the claim filing indicator: what kind of plan the payer runs.
FILING_INDICATORS = frozenset(
    {"11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM"}
    | {"LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ"}
)
PAYER_RESPONSIBILITIES = frozenset({"P", "S", "T"})  # SBR01: primary, secondary, tertiary
SELF = "18"  # SBR02 when the patient is the subscriber
# PAT01, the patient's relationship to a subscriber who is someone else.
DEPENDENT_RELATIONSHIPS = frozenset({"01", "19", "20", "21", "39", "40", "53", "G8"})
SEXES = frozenset({"M", "F", "U"})

# What X12's basic and extended character sets allow in free text, less the separators.
_ALLOWED_TEXT = re.compile(r"[A-Z0-9 !\"&'()+,\-./;?=%@\[\]_{}\\|<>#$]*")
_ICD10 = re.compile(r"[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?")
_PROCEDURE = re.compile(r"[0-9A-Z]{5}")  # CPT (five digits, or four and F/T) or HCPCS
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_STATE = re.compile(r"[A-Z]{2}")
_ZIP = re.compile(r"\d{5}(\d{4})?")
_PLACE_OF_SERVICE = re.compile(r"\d{2}")
_TAXONOMY = re.compile(r"[0-9]{3}[0-9A-Z]{6}X")
_IDENTIFIER = re.compile(r"[0-9A-Z]+")
_PO_BOX = re.compile(r"\bP\.? ?O\.? ?BOX\b|\bPOST OFFICE BOX\b|\bLOCK ?BOX\b")


class ClaimFileError(ValueError):
    """The claim cannot be written as it is; the message says what to change."""


# ---- The input --------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    state: str  # two letters
    zip_code: str  # five or nine digits, a dash allowed
    line2: str = ""


@dataclass(frozen=True)
class Submitter:
    """Who sends the file (loop 1000A): the practice, known to the receiver by an id."""

    name: str
    id: str  # the submitter id the clearinghouse assigned (ISA06, GS02, NM109)
    contact_name: str
    phone: str  # ten digits


@dataclass(frozen=True)
class Receiver:
    """Who receives the file (loop 1000B): the clearinghouse or the payer itself."""

    name: str
    id: str


@dataclass(frozen=True)
class BillingProvider:
    """The group that bills (loop 2010AA): the practice, its group NPI and tax id."""

    name: str
    npi: str
    ein: str  # 12-3456789
    address: Address  # a street address with the nine-digit ZIP code, never a PO box
    taxonomy: str = ""  # e.g. 225100000X, physical therapist; sent when given


@dataclass(frozen=True)
class Person:
    """A subscriber or a patient. The patient's address and birth date are required; a
    subscriber who is not the patient may be known by name alone."""

    last_name: str
    first_name: str
    birth_date: date | None = None
    sex: str = "U"  # M, F or U (unknown)
    address: Address | None = None
    middle_name: str = ""


@dataclass(frozen=True)
class Subscriber:
    """The insured person (loop 2010BA), whose member id the payer knows."""

    person: Person
    member_id: str
    group_number: str = ""


@dataclass(frozen=True)
class Payer:
    name: str
    payer_id: str  # the electronic payer id


@dataclass(frozen=True)
class Provider:
    """A clinician by name and individual NPI: the rendering or the referring provider."""

    last_name: str
    first_name: str
    npi: str
    taxonomy: str = ""


@dataclass(frozen=True)
class ServiceFacility:
    """Where the care was given (loop 2310C), when it is not the billing provider's address."""

    name: str
    address: Address
    npi: str = ""


@dataclass(frozen=True)
class ServiceLine:
    procedure_code: str  # CPT or HCPCS
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal  # the line's total, not per unit
    diagnosis_pointers: tuple[int, ...]  # 1-based positions in the claim's diagnosis codes
    service_date: date
    rendering_provider: Provider


@dataclass(frozen=True)
class Claim:
    """One claim (loop 2300) with its subscriber, patient and payer (loops 2000B and 2000C)."""

    patient_control_number: str  # CLM01: the practice's own claim number, echoed back on the 835
    payer: Payer
    subscriber: Subscriber
    filing_indicator: str  # SBR09, e.g. MB (Medicare Part B), CI (commercial)
    total: Decimal  # must equal the sum of the lines' charges
    place_of_service: str  # two digits, e.g. 11 (office)
    diagnosis_codes: tuple[str, ...]  # ICD-10-CM, the principal first; a dot is dropped
    lines: tuple[ServiceLine, ...]
    # The patient when not the subscriber (a spouse, a child), and how they are related.
    patient: Person | None = None
    relationship: str = SELF
    payer_responsibility: str = "P"
    referring_provider: Provider | None = None
    prior_authorization: str = ""
    service_facility: ServiceFacility | None = None


@dataclass(frozen=True)
class Interchange:
    control_number: int  # ISA13 and GS06: unique per submitter, 1 to 999999999
    created_at: datetime  # local time of the practice
    production: bool = True  # ISA15: P for production, T for a test file


# ---- Checked values ---------------------------------------------------------------------


def text(value: str, label: str, max_length: int, *, required: bool = True) -> str:
    """Free text as the file carries it, or ClaimFileError naming the field."""
    folded = unicodedata.normalize("NFKD", value)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    cleaned = " ".join(folded.upper().split())
    for separator in SEPARATORS:
        if separator in cleaned:
            raise ClaimFileError(
                f'{label} contains "{separator}", which the claim file uses to separate its '
                "parts; please remove it."
            )
    if not _ALLOWED_TEXT.fullmatch(cleaned):
        odd = " ".join(sorted({c for c in cleaned if not _ALLOWED_TEXT.fullmatch(c)}))
        raise ClaimFileError(f"{label} contains characters a claim file cannot carry: {odd}")
    if required and not cleaned:
        raise ClaimFileError(f"{label} is missing.")
    if len(cleaned) > max_length:
        raise ClaimFileError(f"{label} is longer than the {max_length} characters allowed.")
    return cleaned


def _matching(pattern: re.Pattern[str], value: str, message: str) -> str:
    if not pattern.fullmatch(value):
        raise ClaimFileError(message)
    return value


def _identifier(value: str, label: str, max_length: int) -> str:
    value = value.strip().upper()
    if not value or len(value) > max_length or not _IDENTIFIER.fullmatch(value):
        raise ClaimFileError(f"{label} must be 1 to {max_length} letters or digits.")
    return value


def _npi(value: str, label: str) -> str:
    if not npi_is_valid(value):
        raise ClaimFileError(f'{label}\'s NPI "{value}" is not a valid NPI.')
    return value


def _ein(value: str) -> str:
    try:
        validate_ein(value)
    except ValidationError as error:
        raise ClaimFileError(f"The billing provider's tax id: {error.messages[0]}") from None
    if not value:
        raise ClaimFileError("The billing provider's tax id (EIN) is missing.")
    return value.replace("-", "")


def _zip(value: str, label: str, *, nine_digits: bool = False) -> str:
    digits = value.replace("-", "")
    if not _ZIP.fullmatch(digits) or (nine_digits and len(digits) != 9):
        wanted = "nine digits (ZIP+4)" if nine_digits else "five or nine digits"
        raise ClaimFileError(f"{label}'s ZIP code must be {wanted}.")
    return digits


def _taxonomy(value: str, label: str) -> str:
    return _matching(_TAXONOMY, value, f'{label}\'s taxonomy code "{value}" is not one.')


def diagnosis_code(value: str) -> str:
    """An ICD-10-CM code as the file carries it: upper case, without its dot."""
    code = value.strip().upper()
    if not _ICD10.fullmatch(code):
        raise ClaimFileError(f'"{value}" is not an ICD-10-CM diagnosis code.')
    return code.replace(".", "")


def amount(value: Decimal, label: str) -> str:
    """Money in X12's decimal form: no trailing zeros after the point, no point if whole."""
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise ClaimFileError(f"{label} must be a whole number of cents, not negative.")
    rendered = f"{value:.2f}".rstrip("0").rstrip(".")
    return rendered or "0"


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


# ---- Segments ---------------------------------------------------------------------------

Segment = tuple[str, ...]


def _trimmed(parts: Sequence[str]) -> Segment:
    """Without the trailing empty elements or components, which X12 forbids."""
    trimmed = list(parts)
    while trimmed and trimmed[-1] == "":
        trimmed.pop()
    return tuple(trimmed)


def _segment(*elements: str) -> Segment:
    return _trimmed(elements)


def _composite(*components: str) -> str:
    return COMPONENT_SEPARATOR.join(_trimmed(components))


def _address(address: Address, label: str, *, physical: bool = False) -> list[Segment]:
    """N3 and N4. The billing provider's and the service facility's must be a physical place:
    a street address (no post office box) with the nine-digit ZIP code, as the guide asks."""
    line1 = text(address.line1, f"{label}'s address", 55)
    line2 = text(address.line2, f"{label}'s second address line", 55, required=False)
    if physical and (_PO_BOX.search(line1) or _PO_BOX.search(line2)):
        raise ClaimFileError(f"{label}'s address must be a street address, not a PO box.")
    state = address.state.strip().upper()
    _matching(_STATE, state, f"{label}'s state must be its two-letter code.")
    zip_code = _zip(address.zip_code, label, nine_digits=physical)
    city = text(address.city, f"{label}'s city", 30)
    return [_segment("N3", line1, line2), _segment("N4", city, state, zip_code)]


def _person_name(entity: str, person: Person | Provider, label: str) -> tuple[str, ...]:
    middle = person.middle_name if isinstance(person, Person) else ""
    return (
        "NM1",
        entity,
        "1",
        text(person.last_name, f"{label}'s last name", 60),
        text(person.first_name, f"{label}'s first name", 35),
        text(middle, f"{label}'s middle name", 25, required=False),
    )


def _organization(entity: str, name: str, label: str, qualifier: str, identifier: str) -> Segment:
    """NM1 of a non-person entity (NM102 2): its name, then its id after the qualifier."""
    checked = text(name, f"{label}'s name", 60)
    return _segment("NM1", entity, "2", checked, "", "", "", "", qualifier, identifier)


def _whereabouts(person: Person, label: str, *, required: bool) -> list[Segment]:
    """N3, N4 and DMG: required of the patient, sent for another subscriber when known."""
    if person.sex not in SEXES:
        raise ClaimFileError(f"{label}'s sex must be M, F or U.")
    if required and person.address is None:
        raise ClaimFileError(f"{label}'s address is missing.")
    if required and person.birth_date is None:
        raise ClaimFileError(f"{label}'s date of birth is missing.")
    segments = [] if person.address is None else _address(person.address, label)
    if person.birth_date is not None:
        segments.append(_segment("DMG", "D8", _day(person.birth_date), person.sex))
    return segments


def _provider(entity: str, provider: Provider, label: str) -> list[Segment]:
    """NM1 (and PRV when a taxonomy is given) of a clinician: referring or rendering."""
    name = _person_name(entity, provider, label)
    segments = [_segment(*name, "", "", "XX", _npi(provider.npi, label))]
    if provider.taxonomy and entity == "82":
        segments.append(_segment("PRV", "PE", "PXC", _taxonomy(provider.taxonomy, label)))
    return segments


# ---- The loops --------------------------------------------------------------------------


def _header(interchange: Interchange) -> list[Segment]:
    when = interchange.created_at
    return [
        _segment("ST", "837", "0001", IMPLEMENTATION_GUIDE),
        # 0019: information source, subscriber, dependent; 00: original; CH: chargeable.
        _segment(
            "BHT",
            "0019",
            "00",
            str(interchange.control_number),
            _day(when.date()),
            when.strftime("%H%M"),
            "CH",
        ),
    ]


def _submitter_and_receiver(submitter: Submitter, receiver: Receiver) -> list[Segment]:
    phone = re.sub(r"\D", "", submitter.phone)
    if len(phone) != 10:
        raise ClaimFileError("The submitter's phone number must have ten digits.")
    submitter_id = _identifier(submitter.id, "The submitter id", 15)
    receiver_id = _identifier(receiver.id, "The receiver id", 15)
    return [
        _organization("41", submitter.name, "The submitter", "46", submitter_id),
        _segment("PER", "IC", text(submitter.contact_name, "The contact's name", 60), "TE", phone),
        _organization("40", receiver.name, "The receiver", "46", receiver_id),
    ]


def _billing_provider(provider: BillingProvider) -> list[Segment]:
    label = "The billing provider"
    segments = [_segment("HL", "1", "", "20", "1")]
    if provider.taxonomy:
        segments.append(_segment("PRV", "BI", "PXC", _taxonomy(provider.taxonomy, label)))
    segments.append(_organization("85", provider.name, label, "XX", _npi(provider.npi, label)))
    segments += _address(provider.address, label, physical=True)
    segments.append(_segment("REF", "EI", _ein(provider.ein)))
    return segments


def _subscriber(claim: Claim, hl_number: int) -> list[Segment]:
    if claim.payer_responsibility not in PAYER_RESPONSIBILITIES:
        raise ClaimFileError("The payer's responsibility must be P, S or T.")
    if claim.filing_indicator not in FILING_INDICATORS:
        raise ClaimFileError(f'"{claim.filing_indicator}" is not a claim filing indicator code.')
    has_dependent = claim.patient is not None
    subscriber = claim.subscriber
    label = "The subscriber"
    name = _person_name("IL", subscriber.person, label)
    member_id = text(subscriber.member_id, "The member id", 80)
    payer_id = text(claim.payer.payer_id, "The payer id", 80)
    return [
        _segment("HL", str(hl_number), "1", "22", "1" if has_dependent else "0"),
        _segment(
            "SBR",
            claim.payer_responsibility,
            "" if has_dependent else SELF,
            text(subscriber.group_number, "The group number", 50, required=False),
            *[""] * 5,
            claim.filing_indicator,
        ),
        _segment(*name, "", "", "MI", member_id),
        *_whereabouts(subscriber.person, label, required=not has_dependent),
        _organization("PR", claim.payer.name, "The payer", "PI", payer_id),
    ]


def _patient(patient: Person, relationship: str, hl_number: int) -> list[Segment]:
    if relationship not in DEPENDENT_RELATIONSHIPS:
        raise ClaimFileError(
            "A patient who is not the subscriber needs their relationship to the subscriber."
        )
    label = "The patient"
    return [
        _segment("HL", str(hl_number), str(hl_number - 1), "23", "0"),
        _segment("PAT", relationship),
        _segment(*_person_name("QC", patient, label)),
        *_whereabouts(patient, label, required=True),
    ]


def _diagnoses(codes: Sequence[str]) -> Segment:
    if not 1 <= len(codes) <= MAX_DIAGNOSES:
        raise ClaimFileError(f"A claim needs 1 to {MAX_DIAGNOSES} diagnosis codes.")
    cleaned = [diagnosis_code(code) for code in codes]
    if len(set(cleaned)) != len(cleaned):
        raise ClaimFileError("A diagnosis code is listed twice on the claim.")
    # ABK: the principal diagnosis (ICD-10-CM); ABF: the others.
    qualified = [_composite("ABK" if i == 0 else "ABF", code) for i, code in enumerate(cleaned)]
    return _segment("HI", *qualified)


def _claim_information(claim: Claim) -> list[Segment]:
    if not 1 <= len(claim.lines) <= MAX_LINES:
        raise ClaimFileError(f"A claim needs 1 to {MAX_LINES} service lines.")
    lines_total = sum((line.charge for line in claim.lines), Decimal(0))
    if claim.total != lines_total:
        raise ClaimFileError(
            f"The claim's total {claim.total} is not the sum of its lines, {lines_total}."
        )
    place = _matching(
        _PLACE_OF_SERVICE, claim.place_of_service, "The place of service must be two digits."
    )
    number = text(claim.patient_control_number, "The patient control number", 20)
    # B: the place is a CMS place-of-service code; 1: an original claim (not a replacement).
    # Y, A, Y, Y: the provider signed, accepts assignment, benefits are assigned to it, and
    # the patient agreed to the release of information.
    segments = [
        _segment(
            "CLM",
            number,
            amount(claim.total, "The claim's total"),
            "",
            "",
            _composite(place, "B", "1"),
            "Y",
            "A",
            "Y",
            "Y",
        )
    ]
    if claim.prior_authorization:
        reference = text(claim.prior_authorization, "The prior authorization number", 50)
        segments.append(_segment("REF", "G1", reference))
    segments.append(_diagnoses(claim.diagnosis_codes))
    return segments


def _claim_providers(claim: Claim) -> list[Segment]:
    """Loops 2310A (referring), 2310B (rendering, always: a group bills) and 2310C."""
    segments = []
    if claim.referring_provider is not None:
        segments += _provider("DN", claim.referring_provider, "The referring provider")
    segments += _provider("82", claim.lines[0].rendering_provider, "The rendering provider")
    facility = claim.service_facility
    if facility is not None:
        label = "The service facility"
        npi = _npi(facility.npi, label) if facility.npi else ""
        segments.append(_organization("77", facility.name, label, "XX" if npi else "", npi))
        segments += _address(facility.address, label, physical=True)
    return segments


def _pointers(pointers: Sequence[int], diagnosis_count: int, number: int) -> str:
    if not 1 <= len(pointers) <= MAX_POINTERS:
        raise ClaimFileError(f"Line {number} needs 1 to {MAX_POINTERS} diagnosis pointers.")
    if len(set(pointers)) != len(pointers):
        raise ClaimFileError(f"Line {number} points to a diagnosis twice.")
    for pointer in pointers:
        if not 1 <= pointer <= diagnosis_count:
            raise ClaimFileError(
                f"Line {number} points to diagnosis {pointer}, but the claim lists "
                f"{diagnosis_count}."
            )
    return _composite(*(str(p) for p in pointers))


def _procedure(line: ServiceLine, number: int) -> str:
    code = _matching(
        _PROCEDURE,
        line.procedure_code.strip().upper(),
        f'Line {number}\'s procedure code "{line.procedure_code}" is not a CPT or HCPCS code.',
    )
    if len(line.modifiers) > MAX_MODIFIERS:
        raise ClaimFileError(f"Line {number} has more than {MAX_MODIFIERS} modifiers.")
    for modifier in line.modifiers:
        _matching(_MODIFIER, modifier, f'Line {number}\'s modifier "{modifier}" is not one.')
    return _composite("HC", code, *line.modifiers)


def _service_line(claim: Claim, line: ServiceLine, number: int) -> list[Segment]:
    if line.units < 1:
        raise ClaimFileError(f"Line {number} must have at least one unit.")
    segments = [
        _segment("LX", str(number)),
        # UN: units; the place of service (SV105) is left to the claim's.
        _segment(
            "SV1",
            _procedure(line, number),
            amount(line.charge, f"Line {number}'s charge"),
            "UN",
            str(line.units),
            "",
            "",
            _pointers(line.diagnosis_pointers, len(claim.diagnosis_codes), number),
        ),
        _segment("DTP", "472", "D8", _day(line.service_date)),
    ]
    # Loop 2420A only where the line's clinician differs from the claim's (2310B).
    if line.rendering_provider.npi != claim.lines[0].rendering_provider.npi:
        segments += _provider("82", line.rendering_provider, f"Line {number}'s rendering provider")
    return segments


def _claim(claim: Claim, first_hl: int) -> list[Segment]:
    """Loops 2000B (subscriber and payer), 2000C when needed, 2300 and its 2400 lines."""
    segments = _subscriber(claim, first_hl)
    if claim.patient is not None:
        segments += _patient(claim.patient, claim.relationship, first_hl + 1)
    elif claim.relationship != SELF:
        raise ClaimFileError("A dependent patient's own details are missing.")
    segments += _claim_information(claim)
    segments += _claim_providers(claim)
    for number, line in enumerate(claim.lines, start=1):
        segments += _service_line(claim, line, number)
    return segments


def _transaction(
    interchange: Interchange,
    submitter: Submitter,
    receiver: Receiver,
    billing_provider: BillingProvider,
    claims: Sequence[Claim],
) -> list[Segment]:
    """ST to SE: the header, 1000A/B, 2000A/2010AA and each claim; SE counts them all."""
    if not claims:
        raise ClaimFileError("A claim file needs at least one claim.")
    segments = _header(interchange)
    segments += _submitter_and_receiver(submitter, receiver)
    segments += _billing_provider(billing_provider)
    for first_hl, claim in zip(_hierarchy_numbers(claims), claims, strict=True):
        segments += _claim(claim, first_hl)
    segments.append(_segment("SE", str(len(segments) + 1), "0001"))
    return segments


def _hierarchy_numbers(claims: Sequence[Claim]) -> Iterator[int]:
    """The HL number of each claim's subscriber level: 1 is the billing provider's."""
    number = 2
    for claim in claims:
        yield number
        number += 2 if claim.patient is not None else 1


def _fixed(value: str, width: int) -> str:
    return value.ljust(width)


def _interchange_header(interchange: Interchange, sender: str, receiver: str) -> Segment:
    """ISA, whose elements have fixed widths: its 106 characters tell a reader the separators."""
    when = interchange.created_at
    return (
        "ISA",
        "00",
        _fixed("", 10),
        "00",
        _fixed("", 10),
        "ZZ",
        _fixed(sender, 15),
        "ZZ",
        _fixed(receiver, 15),
        when.strftime("%y%m%d"),
        when.strftime("%H%M"),
        REPETITION_SEPARATOR,
        "00501",
        f"{interchange.control_number:09d}",
        "0",  # no interchange acknowledgment (TA1) requested
        "P" if interchange.production else "T",
        COMPONENT_SEPARATOR,
    )


def _envelope(
    interchange: Interchange, submitter: Submitter, receiver: Receiver, body: list[Segment]
) -> list[Segment]:
    number = interchange.control_number
    if not 1 <= number <= MAX_INTERCHANGE_CONTROL_NUMBER:
        raise ClaimFileError(
            f"The interchange control number must be 1 to {MAX_INTERCHANGE_CONTROL_NUMBER}."
        )
    sender = _identifier(submitter.id, "The submitter id", 15)
    to = _identifier(receiver.id, "The receiver id", 15)
    when = interchange.created_at
    return [
        _interchange_header(interchange, sender, to),
        _segment(
            "GS",
            "HC",
            sender,
            to,
            _day(when.date()),
            when.strftime("%H%M"),
            str(number),
            "X",
            IMPLEMENTATION_GUIDE,
        ),
        *body,
        _segment("GE", "1", str(number)),
        _segment("IEA", "1", f"{number:09d}"),
    ]


def render(segments: Sequence[Segment]) -> str:
    """The file's text: elements joined by `*`, each segment ended by `~`, no line breaks
    (some receivers refuse them)."""
    return "".join(ELEMENT_SEPARATOR.join(s) + SEGMENT_TERMINATOR for s in segments)


def claim_file(
    interchange: Interchange,
    submitter: Submitter,
    receiver: Receiver,
    billing_provider: BillingProvider,
    claims: Sequence[Claim],
) -> str:
    """The 837P file of the claims, one billing provider's; ClaimFileError if one is not fit."""
    body = _transaction(interchange, submitter, receiver, billing_provider, claims)
    return render(_envelope(interchange, submitter, receiver, body))
