"""The consumer's webhook workbench: signatures, a local receiver, and a sender.

    from qevcontract.webhook import load_secret, sign, verify

    secret = load_secret()                 # $QEV_WEBHOOK_SECRET (or load_secret("file"))
    sign(body, secret)                     # the Qlik-Signature value for these exact bytes
    verify(body, header_value, secret)     # "valid", "missing", "malformed" or "mismatch"

The receiver (`webhook.server`, uvicorn + httptools) and the sender (`webhook.sender`,
httpx) are imported only by the commands that use them.
"""

from __future__ import annotations

from ._signature import (
    MAX_SECRET_LENGTH,
    MIN_SECRET_LENGTH,
    SECRET_ENV,
    SIGNATURE_HEADER,
    Secret,
    SecretError,
    SignatureCheck,
    load_secret,
    sign,
    verify,
)

__all__ = [
    "MAX_SECRET_LENGTH",
    "MIN_SECRET_LENGTH",
    "SECRET_ENV",
    "SIGNATURE_HEADER",
    "Secret",
    "SecretError",
    "SignatureCheck",
    "load_secret",
    "sign",
    "verify",
]
