"""DR-1: the pseudonym that leaves the service instead of the BSN. ``persoon_id`` =
HMAC-SHA256(key, BSN) in hexadecimal, with a secret key the operator configures and all
extract producers share: the same person has the same ``persoon_id`` in every source, and
without the key the BSN cannot be recovered (or tried: 10⁹ candidates are nothing to a hash,
everything to an HMAC with an unknown key)."""

from __future__ import annotations

import hashlib
import hmac

from regiorapportage.errors import UserError
from regiorapportage.register.bsn import validate

MIN_KEY_BYTES = 32  # 256 bits, the HMAC-SHA256 block of strength


def persoon_id(bsn: str, key: bytes) -> str:
    """The pseudonym of a valid BSN (64 hexadecimal characters)."""
    if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
        raise UserError(f"de pseudoniemsleutel moet minstens {MIN_KEY_BYTES} bytes zijn (DR-1)")
    return hmac.new(key, validate(bsn).encode("ascii"), hashlib.sha256).hexdigest()
