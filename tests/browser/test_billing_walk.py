"""The business side of two courses of care in headless Chromium, by the people who do it.

Walter Hughes is on Medicare Part B: the front desk adds him and books his evaluation from the
calendar. Rosa Marsh pays for herself: she books online. Each chooses a password from the
booking email's link, signs the three forms in the portal and says who pays (Walter enters
his Medicare card, Rosa presses "I pay for my care myself"). Their therapist writes the
evaluation, signs the plan and sends it for certification; the referring physician opens the
emailed `/certify/<token>/` link with no account and signs. The therapist then writes and
signs two visit notes each, with the minutes of each intervention (the 8-minute rule makes the
units). The biller reviews and approves the four charges in the review queue, makes the
claims and downloads the 837P file of Walter's claim, which pyx12 validates. The front desk
takes a payment from each; the account page and the portal show to the cent what awaits
Medicare (Walter's visits less his cash: Medicare has not answered) and what each owes, and
Rosa downloads her superbill, read back with pdftotext.

The intake answers are not the point here: they are sent through the intake services (the
same as the pages call) once each person has chosen their password. The demo practice
provides the rest of the set-up (payers, fee schedules, the practice's NPI and tax id, the
claim settings, NPIs). Every page goes through axe-core (episode_steps.Journey).
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.billing.claims import REFERRING_NPI
from tests.billing.test_x12 import assert_valid, segments
from tests.browser import episode_steps as steps
from tests.plans.test_home_programme import pdf_text
from unknot.billing.models import Charge, ChargeStatus, Claim, KxThreshold
from unknot.care.charges import KX_THRESHOLDS
from unknot.clinics.models import Practice
from unknot.demo.billing import FEES
from unknot.demo.data import PRACTICE
from unknot.demo.load import load_demo
from unknot.plans.models import Certification
from unknot.records.models import Intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLINIC = "Harbour Street Clinic"
THERAPIST = "Maya Okafor"
MEDICARE_PAYER = "Medicare Part B (Jurisdiction K)"
MEMBER_ID = "1EG4TE5MK73"
PHYSICIAN = ("Helen Park", REFERRING_NPI, "helen.park@example.org")
CASH, CARD = Decimal("25.00"), Decimal("150.00")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105fd0d0a2d0000000049454e44ae426082"
)  # a one-pixel PNG: the photo of the card's front


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    born: str  # as the date field takes it
    email: str
    phone: str
    password: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


WALTER = Person("Walter", "Hughes", "1952-04-18", "walter.hughes@example.org",
                "(207) 555-0142", "harbour lights at dusk 4")  # fmt: skip
# Rosa as the booking test's fill_details types her, with the episode test's password.
ROSA = Person(
    "Rosa", "Marsh", "1984-07-23", steps.PATIENT_EMAIL, "(207) 555-0199", steps.PATIENT_PASSWORD
)

# Two visits each. The first: 30 minutes of stretching (97110) and 10 of soft tissue massage
# (97140), 40 timed minutes, 3 units: 97110 x 2 and 97140 x 1 (its 10 minutes are the larger
# remainder), and the hot pack (97010, untimed) once. The second, two days on: 25 and 12
# minutes, 37 timed minutes, 2 units: 97110 x 1 and 97140 x 1 (12 left over beats 10).
HEAT = "Superficial heat (hot pack)"
VISITS = [
    steps.VisitPlan(nprs=6, course="stable",
                    delivered=(("Stretching", 30), ("Soft tissue massage", 10), (HEAT, 15))),
    steps.VisitPlan(nprs=5, course="centralising", days_later=2,
                    delivered=(("Stretching", 25), ("Soft tissue massage", 12))),
]  # fmt: skip
UNITS = [{"97110": 2, "97140": 1, "97010": 1}, {"97110": 1, "97140": 1}]


def fee(code: str) -> Decimal:
    return Decimal(FEES[code])


def visit_total(units: dict[str, int]) -> Decimal:
    return sum((fee(code) * n for code, n in units.items()), Decimal("0.00"))


TOTALS = [visit_total(units) for units in UNITS]  # $170.00 and $100.00 at the demo's fees


@pytest.fixture
def journey(
    live_server: Any, settings: Any, axe_check: Any, artifacts_dir: Path, staff_devices: Any
) -> Any:
    settings.UNKNOT_BASE_URL = live_server.url  # links in emails lead back to this server
    load_demo()
    staff_devices()
    kx_thresholds_entered()
    return steps.Journey(base=str(live_server.url), artifacts=artifacts_dir, axe_check=axe_check)


def kx_thresholds_entered() -> None:
    """The visits are this year's (the second may be next year's): a year the built-in table
    has not got yet would hold every Medicare charge (CHG-KX-YEAR), so the practice has
    entered the latest published amount for both, as its billing office would."""
    practice = Practice.objects.get(name=PRACTICE["name"])
    latest = KX_THRESHOLDS[max(KX_THRESHOLDS)]
    for year in (dt.date.today().year, dt.date.today().year + 1):
        if year not in KX_THRESHOLDS:
            KxThreshold.objects.create(practice=practice, year=year, amount=latest)


def test_a_medicare_and_a_self_pay_patient_from_booking_to_balance(
    browser: Any, journey: Any, smtp_inbox: Any, tmp_path: Path
) -> None:
    try:
        play(browser, journey, smtp_inbox, tmp_path)
    finally:
        journey.report("billing-walk-accessibility.txt")  # also when a step fails half-way
    assert journey.problems == [], "accessibility problems on the walk:\n" + "\n".join(
        journey.problems
    )


def play(browser: Any, journey: Any, smtp_inbox: Any, tmp_path: Path) -> None:
    desk = staff_page(browser, journey, "frontdesk.harbour")
    add_patient(journey, desk, WALTER)
    book_at_the_desk(journey, desk, WALTER)
    rosa = browser.new_page()
    steps.book_online(journey, rosa)
    call_command("db_worker", "--batch", "--no-startup-delay")  # the confirmations go out

    walter = browser.new_page()
    for page, person in ((walter, WALTER), (rosa, ROSA)):
        link = steps.intake_link(smtp_inbox, journey.base, to=person.email)
        steps.choose_password(journey, page, link, person.password)
        intake = Intake.objects.get(episode__patient__email=person.email)
        factories.intake_filled(intake, now=timezone.now())
        to_the_portal(journey, page)
        sign_the_forms(journey, page, person)
    enter_medicare(journey, walter)
    say_self_pay(journey, rosa)

    therapist = staff_page(browser, journey, "maya.okafor")
    for person in (WALTER, ROSA):
        evaluate_and_plan(journey, therapist, person)
        send_for_certification(journey, therapist)
    call_command("db_worker", "--batch", "--no-startup-delay")  # the physician's emails
    certify_as_the_physician(browser, journey, smtp_inbox)
    for person in (WALTER, ROSA):
        steps.open_chart(journey, therapist, person.name)
        assert "Certified through" in plan_page_text(journey, therapist), person
        for number, visit in enumerate(VISITS, start=1):
            steps.record_visit(journey, therapist, number, visit)

    biller = staff_page(browser, journey, "biller")
    for person in (WALTER, ROSA):
        review_and_approve(journey, biller, person)
    claim_file = make_and_download_the_claim(journey, biller)
    check_the_claim_file(claim_file)

    # LEDGER-RESP: Medicare has not answered, so Walter's visits (less his cash) await it and he
    # owes nothing yet; Rosa pays for herself and owes the rest.
    walter_owes = Owed(awaiting=sum(TOTALS) - CASH, patient=Decimal("0.00"))
    rosa_owes = Owed(awaiting=Decimal("0.00"), patient=sum(TOTALS) - CARD)
    take_payment(journey, desk, WALTER, "Cash", CASH, "", walter_owes)
    take_payment(journey, desk, ROSA, "Card", CARD, "terminal 0042", rosa_owes)
    assert_portal_balance(journey, walter, WALTER, walter_owes)
    assert_portal_balance(journey, rosa, ROSA, rosa_owes)
    superbill = steps.fetch_pdf(
        rosa, rosa.get_by_role("link", name="Superbill for your insurer (PDF)")
    )
    check_the_superbill(pdf_text(superbill, tmp_path))


# --- staff and patients signing in ---------------------------------------------------------------


def staff_page(browser: Any, journey: Any, username: str) -> Any:
    """A page of its own (its own cookies), signed in once with the password and the code."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    steps.sign_in_staff(journey, page, username)
    return page


def to_the_portal(journey: Any, page: Any) -> None:
    """The site menu's "My care": the portal's home."""
    journey.click(page, page.get_by_role("link", name="My care", exact=True), "portal home")
    assert page.url.endswith("/portal/"), page.url


# --- the front desk books Walter -----------------------------------------------------------------


def add_patient(journey: Any, page: Any, person: Person) -> None:
    journey.click(page, page.get_by_role("link", name="Add a patient"), "new patient")
    form = page.locator("main form")
    form.get_by_label("First name").fill(person.first)
    form.get_by_label("Last name").fill(person.last)
    form.get_by_label("Date of birth").fill(person.born)
    form.get_by_label("Email").fill(person.email)
    form.get_by_label("Phone").fill(person.phone)
    form.get_by_label("Preferred clinic").select_option(label=CLINIC)
    journey.click(page, form.get_by_role("button", name="Save"), "patient page")
    assert f"{person.name} was added." in steps.main_text(page), steps.main_text(page)


def book_at_the_desk(journey: Any, page: Any, person: Person) -> None:
    """The clinic's calendar, day by day to the first free time of the therapist's, then the
    patient found by name and an initial evaluation booked."""
    journey.click(page, page.get_by_role("link", name="Staff area"), "staff home")
    journey.click(page, page.get_by_role("link", name=f"Calendar of {CLINIC}"), "calendar")
    free = page.get_by_role("link", name=re.compile(f"^Book with {THERAPIST} at "))
    for _ in range(7):
        journey.click(page, page.get_by_role("link", name="Next day"), "calendar, next day")
        if free.count():
            break
    journey.click(page, free.first, "booking")
    page.get_by_label("Find the patient").fill(person.last)
    journey.click(page, page.get_by_role("button", name="Find"), "booking, patient found")
    page.get_by_role("radio", name=re.compile(f"^{person.name} ")).check()
    kinds = page.get_by_role("combobox", name=re.compile("^Appointment type"))
    [initial] = [k for k in kinds.locator("option").all_inner_texts() if "Initial" in k]
    kinds.select_option(label=initial)
    journey.click(page, page.get_by_role("button", name="Book", exact=True), "booked")
    assert f"Booked: {person.name}." in page.content(), steps.main_text(page)


# --- the patients in the portal: forms, and who pays ----------------------------------------------


def sign_the_forms(journey: Any, page: Any, person: Person) -> None:
    """Every form of the "Forms to sign" card, in turn, with the typed name."""
    signed = []
    for _ in range(3):
        to_sign = page.get_by_role("region", name="Forms to sign").get_by_role("listitem")
        if not to_sign.count():
            break
        title = to_sign.first.inner_text()
        journey.click(page, to_sign.first.get_by_role("link"), f"sign: {title}")
        page.get_by_label("I have read this form and agree to it.").check()
        page.get_by_label("Type your full name to sign").fill(person.name)
        journey.click(page, page.get_by_role("button", name="Sign", exact=True), "forms signed")
        assert f"Thank you: you signed the {title}." in steps.main_text(page)
        signed.append(title)
    assert sorted(signed) == [
        "Acknowledgement of the Notice of Privacy Practices", "Consent to treat",
        "Financial and cancellation policy",
    ], signed  # fmt: skip
    assert "You have signed every form we need." in steps.main_text(page)
    to_the_portal(journey, page)


def enter_medicare(journey: Any, page: Any) -> None:
    journey.click(page, page.get_by_role("link", name="My insurance"), "my insurance")
    journey.click(page, page.get_by_role("link", name="Add my insurance"), "add my insurance")
    form = page.locator("main form")
    form.get_by_label("Insurance company (payer)").select_option(label=MEDICARE_PAYER)
    form.get_by_label("Member id").fill(MEMBER_ID)
    form.get_by_label("Subscriber's street address").fill("14 Wharf Lane")
    form.get_by_label("City").fill("Portland")
    form.get_by_label("State").fill("ME")
    form.get_by_label("Zip code").fill("04101")
    form.get_by_label("Covered from").fill((dt.date.today() - dt.timedelta(days=400)).isoformat())
    form.get_by_label("Card, front").set_input_files(
        {"name": "card.png", "mimeType": "image/png", "buffer": PNG}
    )
    journey.click(page, form.get_by_role("button", name="Save my insurance"), "insurance saved")
    text = steps.main_text(page)
    assert MEDICARE_PAYER in text and MEMBER_ID in text, text


def say_self_pay(journey: Any, page: Any) -> None:
    journey.click(page, page.get_by_role("link", name="My insurance"), "my insurance")
    journey.click(
        page, page.get_by_role("button", name="I pay for my care myself"), "self-pay said"
    )
    assert not page.get_by_role("button", name="I pay for my care myself").count()


# --- the therapist and the physician ------------------------------------------------------------


def evaluate_and_plan(journey: Any, page: Any, person: Person) -> None:
    steps.open_chart(journey, page, person.name)
    steps.write_evaluation(journey, page)
    steps.propose_and_edit_plan(journey, page)
    steps.set_goals(journey, page, per_week=2, weeks=4)
    steps.sign_plan(journey, page, THERAPIST, [], dt.date.today())


def send_for_certification(journey: Any, page: Any) -> None:
    name, npi, email = PHYSICIAN
    journey.click(
        page, page.get_by_role("link", name="Send for certification"), "send for certification"
    )
    form = page.locator("main form")
    first, last = name.split()
    form.get_by_label("Physician or NPP: first name").fill(first)
    form.get_by_label("Physician or NPP: last name").fill(last)
    form.get_by_label("NPI (10 digits)").fill(npi)
    form.get_by_label("Email address").fill(email)
    journey.click(page, form.get_by_role("button", name="Send"), "sent for certification")
    assert name in steps.main_text(page), steps.main_text(page)


def certify_as_the_physician(browser: Any, journey: Any, inbox: Any) -> None:
    """Each emailed link, opened with no account: the plan (the email does not name the
    patient; the page does), then the typed name and the attestation."""
    name, _, email = PHYSICIAN
    bodies = [steps.message_body(m) for m in inbox.messages if m["To"] == email]
    links = [re.search(r"(http\S+/certify/\S+/)", body) for body in bodies]
    physician = browser.new_context().new_page()  # no account, no cookies of anyone's
    certified = []
    for link in links:
        assert link is not None, bodies
        physician.goto(link.group(1))
        journey.seen(physician, "certify a plan of care")
        text = steps.main_text(physician)
        certified += [person.name for person in (WALTER, ROSA) if person.name in text]
        physician.get_by_label("Your full name, typed as your signature").fill(name)
        physician.get_by_label(re.compile("^I certify the need for these services")).check()
        button = physician.get_by_role("button", name="Certify the plan")
        journey.click(physician, button, "certified")
        assert "Thank you: the plan of care is certified." in steps.main_text(physician)
    physician.context.close()
    assert sorted(certified) == sorted([WALTER.name, ROSA.name]), certified
    statuses = Certification.objects.filter(physician_email=email).values_list("status", flat=True)
    assert list(statuses) == ["certified", "certified"], list(statuses)


def plan_page_text(journey: Any, page: Any) -> str:
    journey.click(page, page.get_by_role("link", name="Signed plan v1"), "signed plan")
    text = steps.main_text(page)
    journey.click(page, page.get_by_role("link", name="Back to the chart"), "episode chart")
    return text


# --- the biller ---------------------------------------------------------------------------------


def review_and_approve(journey: Any, page: Any, person: Person) -> None:
    """From the biller's home: the clinic's charges to review, each of the person's opened,
    checked line by line and approved."""
    for number, units in enumerate(UNITS):
        journey.click(page, page.get_by_role("link", name="Staff area"), "biller home")
        journey.click(
            page,
            page.get_by_role("link", name=f"Charges to review at {CLINIC}").first,
            "charge queue",
        )
        charge = page.get_by_role("link", name=re.compile(f"^{person.name}, ")).first
        journey.click(page, charge, f"charge {number + 1} of {person.name}")
        journey.shot(page, f"billing-walk-charge-{person.last.lower()}-{number + 1}.png")
        lines = charge_lines(page)
        assert lines == {code: (n, fee(code) * n) for code, n in units.items()}, lines
        total = page.locator("main table tfoot").inner_text()
        assert dollars(TOTALS[number]) in total, total
        text = steps.main_text(page)
        billed_to = MEDICARE_PAYER if person is WALTER else "Self-pay"
        assert billed_to in text and "GP" in text, text
        journey.click(page, page.get_by_role("button", name="Approve"), "charge approved")
        assert "The charge is approved." in steps.main_text(page)
    approved = Charge.objects.filter(patient__email=person.email, status=ChargeStatus.APPROVED)
    assert sorted(c.total for c in approved) == sorted(TOTALS)


def charge_lines(page: Any) -> dict[str, tuple[int, Decimal]]:
    """The charge's lines as shown: code -> (units, amount); each points at diagnosis A."""
    found = {}
    for row in page.locator("main table tbody tr").all():
        code, _, units, _, diagnosis, _, amount = row.locator("td").all_inner_texts()
        assert diagnosis.startswith("A"), (code, diagnosis)  # the lettered list's first code
        found[code] = (int(units), Decimal(amount.replace("$", "").replace(",", "")))
    return found


def dollars(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def make_and_download_the_claim(journey: Any, page: Any) -> str:
    """Claims: "Make the claims", then Walter's claim alone in the 837P file."""
    journey.click(page, page.get_by_role("link", name="Staff area"), "biller home")
    journey.click(page, page.get_by_role("link", name="Claims", exact=True).first, "claims")
    waiting = page.get_by_role("region", name="Approved charges waiting to be claimed")
    assert MEDICARE_PAYER in waiting.inner_text() and dollars(sum(TOTALS)) in waiting.inner_text()
    journey.click(page, page.get_by_role("button", name="Make the claims"), "claims made")
    assert "1 claim made." in steps.main_text(page), steps.main_text(page)
    journey.shot(page, "billing-walk-claims.png")
    claim = Claim.objects.get(patient__email=WALTER.email)
    for box in page.locator("main input[type=checkbox][name=claims]").all():
        box.set_checked(box.get_attribute("value") == str(claim.pk))
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("^Download the claim file")).click()
    claim_file = Path(download.value.path()).read_text()
    claim.refresh_from_db()
    assert claim.status == "sent" and claim.control_number, claim.status
    return claim_file


def check_the_claim_file(claim_file: str) -> None:
    """Valid by pyx12, and Walter's claim in it: Medicare Part B, his member id, the referring
    physician, the visits' lines with GP, the total."""
    assert_valid(claim_file)
    found = segments(claim_file)
    [clm] = [s for s in found if s[0] == "CLM"]
    assert Decimal(clm[2]) == sum(TOTALS), clm
    [subscriber] = [s for s in found if s[:3] == ["NM1", "IL", "1"]]
    assert subscriber[3:5] == ["HUGHES", "WALTER"] and subscriber[-1] == MEMBER_ID, subscriber
    assert [s[9] for s in found if s[0] == "SBR"] == ["MB"]
    # Loop 2310A: the physician who certified his plan, as the therapist named them.
    [referring] = [s for s in found if s[:2] == ["NM1", "DN"]]
    assert referring == ["NM1", "DN", "1", "PARK", "HELEN", "", "", "", "XX", REFERRING_NPI]
    lines = [(s[1].split(":"), Decimal(s[2]), int(s[4])) for s in found if s[0] == "SV1"]
    expected = [
        (["HC", code, "GP"], fee(code) * n, n) for units in UNITS for code, n in units.items()
    ]
    assert sorted(lines) == sorted(expected), lines


# --- the front desk takes the money; the balances ----------------------------------------------


@dataclass(frozen=True)
class Owed:
    """What awaits Medicare's answer and what the patient owes (LEDGER-RESP)."""

    awaiting: Decimal
    patient: Decimal


def take_payment(
    journey: Any, page: Any, person: Person, method: str, amount: Decimal, reference: str,
    owed: Owed,
) -> None:  # fmt: skip
    steps.search_patients(journey, page, person.last)
    journey.click(page, page.get_by_role("link", name=person.name).first, "patient page")
    journey.click(page, page.get_by_role("link", name="Account and payments"), "account")
    journey.click(page, page.get_by_role("link", name="Take a payment"), "take a payment")
    form = page.locator("main form")
    form.get_by_label("Method").select_option(label=method)
    form.get_by_label("Amount").fill(str(amount))
    form.get_by_label("Check or transaction number").fill(reference)
    journey.click(page, form.get_by_role("button", name="Record the payment"), "account, paid")
    text = steps.main_text(page)
    assert f"Payment of {dollars(amount)} recorded." in text, text
    journey.shot(page, f"billing-walk-account-{person.last.lower()}.png")
    assert_balance(text, "Patient owes", owed)
    # LEDGER-APPLY: the payment pays the oldest visit first; the newer one still owes it all.
    visits = page.get_by_role("region", name="Visits billed").locator("tbody tr")
    still_owed = [row.locator("td").last.inner_text() for row in visits.all()]
    assert still_owed == [dollars(TOTALS[0] - amount), dollars(TOTALS[1])], still_owed
    whose = [row.locator("td").nth(6).inner_text() for row in visits.all()]
    expected = f"Awaiting {MEDICARE_PAYER}" if owed.awaiting else "Patient"
    assert whose == [expected, expected], whose


def assert_balance(text: str, label: str, owed: Owed) -> None:
    match = re.search(rf"{label}\s+(\S+)", text)
    assert match is not None and match.group(1) == dollars(owed.patient), (owed, text)
    waiting = re.search(rf"Awaiting {re.escape(MEDICARE_PAYER)}\s+(\S+)", text)
    if owed.awaiting:
        assert waiting is not None and waiting.group(1) == dollars(owed.awaiting), (owed, text)
    else:
        assert "Awaiting" not in text, text


def assert_portal_balance(journey: Any, page: Any, person: Person, owed: Owed) -> None:
    to_the_portal(journey, page)
    journey.click(page, page.get_by_role("link", name="Bills and payments"), "my bills")
    journey.shot(page, f"billing-walk-bills-{person.last.lower()}.png")
    assert_balance(steps.main_text(page), "You owe", owed)


def check_the_superbill(text: str) -> None:
    """Rosa's superbill: each visit's codes and amounts, the total, what she paid."""
    assert ROSA.name in text, text
    for code in ("97110", "97140", "97010"):
        assert code in text, (code, text)
    for units in UNITS:
        for code, n in units.items():
            assert dollars(fee(code) * n) in text, (code, n, text)
    assert dollars(sum(TOTALS)) in text and dollars(CARD) in text, text
