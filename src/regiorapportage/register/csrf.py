"""CSRF protection of the browser forms: a signed double-submit token.

The browser holds a random nonce in an HttpOnly, SameSite=Strict cookie (``COOKIE``); every
form carries a hidden field (``FIELD``) with a token that the service signed
(``itsdangerous.URLSafeTimedSerializer`` with the configured ``csrfsleutel``) over

- the SHA-256 of that nonce (the cookie's value itself never appears in a page), and
- a binding: the session's id once the caller has logged in (empty before), so a token of
  one session is worthless in another.

A POST is accepted only when the cookie and the field are both present, the signature is
valid and younger than ``MAX_AGE_SECONDS``, and the nonce's hash and the binding match
(``hmac.compare_digest``). A page on another site can neither read the token nor, thanks to
the signature, make up a matching cookie and field; SameSite=Strict keeps the cookies off
cross-site requests in the first place."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "rr_csrf"
FIELD = "csrf"
MAX_AGE_SECONDS = 2 * 3600
_SALT = "regiorapportage-register-csrf"
_MAX_TOKEN_CHARS = 512


def new_nonce() -> str:
    """A fresh random value for the CSRF cookie."""
    return secrets.token_urlsafe(32)


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode("utf-8")).hexdigest()


class Csrf:
    """Signs and checks the form tokens with ``key`` (the ``csrfsleutel``)."""

    def __init__(self, key: bytes, max_age: int = MAX_AGE_SECONDS) -> None:
        self._signer = URLSafeTimedSerializer(key, salt=_SALT)
        self.max_age = max_age

    def token(self, nonce: str, binding: str = "") -> str:
        """The hidden field's value for the cookie ``nonce`` and the session ``binding``."""
        return self._signer.dumps({"n": _digest(nonce), "b": binding})

    def valid(self, nonce: object, token: object, binding: str = "") -> bool:
        """Whether a POST's cookie ``nonce`` and form ``token`` belong together, for this
        ``binding``, and the token has not expired."""
        if not isinstance(nonce, str) or not nonce or not isinstance(token, str) or not token:
            return False
        if len(token) > _MAX_TOKEN_CHARS or len(nonce) > _MAX_TOKEN_CHARS:
            return False
        try:
            payload = self._signer.loads(token, max_age=self.max_age)
        except BadData:
            return False
        if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in ("n", "b")):
            return False
        same_nonce = hmac.compare_digest(payload["n"], _digest(nonce))
        same_binding = hmac.compare_digest(payload["b"].encode("utf-8"), binding.encode("utf-8"))
        return same_nonce and same_binding
