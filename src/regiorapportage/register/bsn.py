"""DR-1: the burgerservicenummer. Nine digits; the elfproef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is
divisible by 11 and not 0 (so 000000000 is no BSN)."""

from __future__ import annotations

import re

from regiorapportage.errors import UserError

_NINE_DIGITS = re.compile(r"[0-9]{9}")
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


class InvalidBSN(UserError):
    """A value that is not a BSN; the message never repeats the value (it may be personal data)."""


def elfproef_sum(digits: str) -> int:
    return sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True))


def is_valid(value: object) -> bool:
    """True for nine digits that pass the elfproef (and are not all zero)."""
    if not isinstance(value, str) or not _NINE_DIGITS.fullmatch(value):
        return False
    total = elfproef_sum(value)
    return total != 0 and total % 11 == 0


def validate(value: object) -> str:
    """The BSN, or ``InvalidBSN`` with a clear Dutch reason (the value itself is not echoed)."""
    if not isinstance(value, str):
        raise InvalidBSN("een BSN is tekst van precies negen cijfers")
    if not _NINE_DIGITS.fullmatch(value):
        raise InvalidBSN("een BSN bestaat uit precies negen cijfers (geen letters, spaties of andere tekens)")
    total = elfproef_sum(value)
    if total == 0:
        raise InvalidBSN("een BSN van alleen nullen bestaat niet")
    if total % 11:
        raise InvalidBSN("dit nummer voldoet niet aan de elfproef en is dus geen geldig BSN")
    return value
