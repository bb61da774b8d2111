"""Email address normalization and identity."""

import hashlib
from collections.abc import Callable
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES, DOT_ATOM_TEXT, EMAIL_MAX_LENGTH

from subscribers.errors import Invalid


class InvalidAddress(Invalid):
    """An address that is not one; `reason` says why in the validator's words (pages translate around it)."""

    def __init__(self, address: str, reason: str):
        super().__init__(f"{address}: not a valid email address ({reason})")
        self.address, self.reason = address, reason


class NotDeliverable(InvalidAddress):
    """A valid address that the configured delivery cannot carry mail to."""

    def __init__(self, address: str, why: str):
        reason = f"the part before the @ is not ASCII, and {why}"
        Invalid.__init__(self, f"{address}: {reason}")
        self.address, self.reason = address, reason


# Why mail to an address whose part before the @ is not ASCII (it needs SMTPUTF8) cannot be delivered
# now, or None when it can: the delivery side knows, so the caller passes it in; it is asked only when
# such an address comes.
Utf8Refusal = Callable[[], str | None]


def normalize(address: str) -> str:
    """The address normalized (IDN domains in Unicode, domain lower-cased); raises InvalidAddress.

    email-validator decides. Most addresses have a plain ASCII part before the @-sign, which it keeps as
    it is, and a domain shared by many others: for those the domain's verdict is cached, so a large
    import does not validate gmail.com a million times. Anything else takes the full path.
    """
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if at and DOT_ATOM_TEXT.match(local) and local.lower() not in CASE_INSENSITIVE_MAILBOX_NAMES:
        names = _domain(domain)
        if names is not None:
            normalized = f"{local}@{names[0]}"
            longest = max(len(address.encode()), len(normalized.encode()), len(local) + 1 + len(names[1]))
            if longest <= EMAIL_MAX_LENGTH:
                return normalized
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidAddress(address, str(exc)) from None


@lru_cache(maxsize=4096)
def _domain(domain: str) -> tuple[str, str] | None:
    """(normalized, IDNA ASCII) forms of a valid domain; None when it is not (the full path says why)."""
    try:
        probe = validate_email("a@" + domain, check_deliverability=False)
    except EmailNotValidError:
        return None
    return probe.domain, probe.ascii_domain


def needs_smtputf8(normalized: str) -> bool:
    """True when the part before the @ is not ASCII: such mail needs SMTPUTF8 (RFC 6531) all the way."""
    return not normalized.rpartition("@")[0].isascii()


def wire_form(normalized: str) -> str:
    """The address as it goes out: the domain IDNA-encoded (user@exämple.com -> user@xn--exmple-cua.com),
    the part before the @ as it is. Stored addresses keep the Unicode form, which identifies the person."""
    if normalized.isascii():
        return normalized
    local, _, domain = normalized.rpartition("@")
    names = _domain(domain)
    return f"{local}@{names[1]}" if names else normalized


def check_deliverable(normalized: str, utf8_refusal: Utf8Refusal | None) -> None:
    """Raise NotDeliverable for an address that needs SMTPUTF8 where the delivery cannot carry it."""
    if utf8_refusal is not None and needs_smtputf8(normalized):
        reason = utf8_refusal()
        if reason:
            raise NotDeliverable(normalized, reason)


def identity(normalized: str) -> str:
    """The key that makes Ann@Example.org and ann@example.org one subscriber."""
    return normalized.casefold()


def address_hash(normalized: str) -> str:
    return hashlib.sha256(identity(normalized).encode()).hexdigest()
