"""Email address normalization and identity."""

import hashlib

from email_validator import EmailNotValidError, validate_email


class InvalidAddress(ValueError):
    pass


def normalize(address: str) -> str:
    """The address normalized (IDN domains in Unicode, domain lower-cased); raises InvalidAddress."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidAddress(str(exc)) from None


def identity(normalized: str) -> str:
    """The key that makes Ann@Example.org and ann@example.org one subscriber."""
    return normalized.casefold()


def address_hash(normalized: str) -> str:
    return hashlib.sha256(identity(normalized).encode()).hexdigest()
