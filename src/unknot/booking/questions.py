"""Questions sent from a clinic page to its front desk, with spam and flood protection.

No third party is involved: a honeypot field that people never see, a signed time stamp that
tells how fast the form was filled in, and a flood limit per sender and per clinic. A refused
question raises `QuestionRefused` with a message for the person and writes nothing.
"""

import datetime as dt

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.crypto import salted_hmac

from unknot import audit
from unknot.accounts.access import may_write
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.booking import notifications
from unknot.booking.models import ContactQuestion
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import Refused

STAMP_SALT = "unknot.booking.question-form"
MIN_FILL_SECONDS = 3  # people need longer than this to type a question; scripts do not
MAX_FORM_AGE_SECONDS = 60 * 60 * 24  # a form left open for a day is signed again
PER_SENDER_PER_HOUR = 3
PER_CLINIC_PER_HOUR = 30

REFUSED_BOT = (
    "Sorry, we could not send your question. Please try again, or call the clinic instead."
)
REFUSED_TOO_FAST = (
    "That was quicker than we expected from a person. Please check your question "
    "and press Send again."
)
REFUSED_EXPIRED = "This form was open for a long time. Please press Send again."
REFUSED_SENDER = (
    "You have sent us several questions in the last hour. Please wait for our answer, "
    "or call the clinic if it is urgent."
)
REFUSED_CLINIC = (
    "We are receiving a lot of questions right now and cannot take more this hour. "
    "Please call the clinic, or try again later."
)


class QuestionRefused(Refused):
    """A question the clinic's form does not take; `message` is written for the person."""


def form_stamp(now: dt.datetime) -> str:
    """The hidden field that records when the form was shown."""
    return signing.dumps(now.timestamp(), salt=STAMP_SALT)


def check_human(*, honeypot: str, stamp: str, now: dt.datetime) -> None:
    """Raises `QuestionRefused` for a filled honeypot, a forged stamp or a too-fast fill."""
    if honeypot.strip():
        raise QuestionRefused(REFUSED_BOT)
    try:
        shown = float(signing.loads(stamp, salt=STAMP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        raise QuestionRefused(REFUSED_BOT) from None
    age = now.timestamp() - shown
    if age > MAX_FORM_AGE_SECONDS:
        raise QuestionRefused(REFUSED_EXPIRED)
    if age < MIN_FILL_SECONDS:
        raise QuestionRefused(REFUSED_TOO_FAST)


def fingerprint(client_ip: str, email: str) -> str:
    """A keyed hash of who is asking: neither the address nor the email can be read back.

    The IP comes from REMOTE_ADDR only; a forwarded-for header is whatever the sender wants.
    """
    source = f"{client_ip.strip()}|{email.strip().lower()}"
    return salted_hmac(STAMP_SALT, source, algorithm="sha256").hexdigest()


def _check_flood(clinic: Clinic, sender: str, now: dt.datetime) -> None:
    recent = ContactQuestion.objects.filter(created_at__gt=now - dt.timedelta(hours=1))
    if recent.filter(sender_fingerprint=sender).count() >= PER_SENDER_PER_HOUR:
        raise QuestionRefused(REFUSED_SENDER)
    if recent.filter(clinic=clinic).count() >= PER_CLINIC_PER_HOUR:
        raise QuestionRefused(REFUSED_CLINIC)


def question_ask(
    *,
    clinic: Clinic,
    name: str,
    email: str,
    phone: str,
    message: str,
    client_ip: str,
    now: dt.datetime,
) -> ContactQuestion:
    """Stores the question and queues the front desk's notice and the person's receipt."""
    sender = fingerprint(client_ip, email)
    with transaction.atomic():
        # Locking the clinic row makes concurrent askers of one clinic count one at a time.
        Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
        _check_flood(clinic, sender, now)
        question = ContactQuestion.objects.create(
            clinic=clinic,
            name=name,
            email=email,
            phone=phone,
            message=message,
            sender_fingerprint=sender,
        )
        notifications.queue_question_emails(question, now)
        _recorded(Action.CREATE, question, "asked")
    return question


@transaction.atomic
def question_set_status(*, by: User, question: ContactQuestion, status: str) -> ContactQuestion:
    """The front desk moves a question along: new, answered, closed."""
    if not may_write(by) or not clinics_visible_to(by).filter(pk=question.clinic_id).exists():
        raise PermissionDenied("Your role may not change questions.")
    question.status = status
    question.save(update_fields=["status"])
    _recorded(Action.UPDATE, question, str(status), by=by)  # new, answered, closed
    return question


def _recorded(action: str, question: ContactQuestion, reason: str, by: User | None = None) -> None:
    """The audit row, in the write's transaction. A question belongs to no patient record."""
    audit.record(
        action, by=by, object_type="question", object_id=question.pk,
        clinic_id=question.clinic_id, reason=reason,
    )  # fmt: skip
