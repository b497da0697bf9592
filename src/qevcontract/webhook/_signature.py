"""The `Qlik-Signature` header: hex HMAC-SHA256 of the raw request body, keyed with a secret.

The secret is the one credential in the whole webhook workbench, so it lives in a `Secret`
whose `repr` and `str` never show it, is read from the environment or a file (never a
command-line argument, which `ps` would show), and no message built here quotes it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

SIGNATURE_HEADER = "Qlik-Signature"
SECRET_ENV = "QEV_WEBHOOK_SECRET"
MIN_SECRET_LENGTH = 32
MAX_SECRET_LENGTH = 64

SignatureCheck = Literal["valid", "missing", "malformed", "mismatch"]


class SecretError(ValueError):
    """A secret that cannot be used; the message names where it came from, never its value."""


@dataclass(frozen=True, slots=True, eq=False)
class Secret:
    """A webhook secret. Shows as `Secret(<from ORIGIN>)` so it cannot leak into logs.

    No `==` (`eq=False`: two secrets are equal only if they are the same object): a field
    by field comparison would compare keys in time that depends on where they differ.
    Compare signatures with `verify`, which uses `hmac.compare_digest`.
    """

    key: bytes = field(repr=False)
    origin: str = "<memory>"  # where it came from: the env variable's name or the file path
    # HMAC-SHA256 keyed with `key` and fed nothing yet: each signature starts from a copy,
    # which skips the key schedule and the digest look-up (a third of a signature's cost).
    _keyed: hmac.HMAC = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keyed", hmac.new(self.key, digestmod=hashlib.sha256))

    def digest(self, body: bytes) -> bytes:
        """The raw HMAC-SHA256 of `body` under this key."""
        mac = self._keyed.copy()
        mac.update(body)
        return mac.digest()

    @classmethod
    def from_text(cls, text: str, origin: str = "<memory>") -> Secret:
        """Check the length rule (32 to 64 characters) and keep the UTF-8 bytes as the key."""
        if not MIN_SECRET_LENGTH <= len(text) <= MAX_SECRET_LENGTH:
            raise SecretError(
                f"{origin}: the webhook secret must be {MIN_SECRET_LENGTH} to "
                f"{MAX_SECRET_LENGTH} characters long, this one has {len(text)}"
            )
        return cls(text.encode("utf-8"), origin)

    def __repr__(self) -> str:
        return f"Secret(<from {self.origin}>)"

    __str__ = __repr__


def load_secret(
    secret_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Secret | None:
    """The secret from `secret_file` if given, else from `$QEV_WEBHOOK_SECRET`, else None.

    An explicit file wins over the environment. One trailing line ending is dropped from a
    file (editors add one); an empty variable counts as unset.
    """
    if secret_file is not None:
        path = os.fspath(secret_file)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(4096)
        except OSError as exc:
            raise SecretError(f"{path}: cannot read the secret file: {exc.strerror}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SecretError(f"{path}: the secret file is not UTF-8 text") from None
        return Secret.from_text(_drop_line_ending(text), path)
    env = os.environ if environ is None else environ
    value = env.get(SECRET_ENV)
    if not value:
        return None
    return Secret.from_text(value, SECRET_ENV)


def secret_file_warning(secret_file: str | os.PathLike[str]) -> str | None:
    """A one-line warning if `secret_file` is a regular file its group or others can read.

    Names the file and its mode, never its content. None for a private file, for what is
    not a regular file (a pipe such as `<(pass show ...)`), and where POSIX modes do not
    apply (Windows).
    """
    if os.name == "nt":
        return None
    path = os.fspath(secret_file)
    try:
        info = os.stat(path)
    except OSError:
        return None  # reading it reports the problem
    mode = stat.S_IMODE(info.st_mode)
    if not stat.S_ISREG(info.st_mode) or not mode & (stat.S_IRGRP | stat.S_IROTH):
        return None
    who = " and ".join(
        name for bit, name in ((stat.S_IRGRP, "its group"), (stat.S_IROTH, "others")) if mode & bit
    )
    return (
        f"{path}: the secret file is readable by {who} (mode {mode:04o}); "
        f"make it private: chmod 600 {path}"
    )


def _drop_line_ending(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def sign(body: bytes, secret: Secret) -> str:
    """The `Qlik-Signature` value for `body`: 64 lower-case hex digits."""
    return secret.digest(body).hex()


def verify(body: bytes, signature: str | None, secret: Secret) -> SignatureCheck:
    """Whether `signature` is the right one for `body`, compared in constant time.

    Hex digits are accepted in either case (HTTP intermediaries sometimes upper-case
    them); anything but exactly 64 of them is "malformed", an absent header "missing".
    """
    if signature is None or signature == "":
        return "missing"
    candidate = signature.strip()
    if len(candidate) != 64:
        return "malformed"
    try:
        given = bytes.fromhex(candidate)
    except ValueError:
        return "malformed"
    if len(given) != 32:  # 64 characters with a space between pairs (`fromhex` skips it)
        return "malformed"
    # The raw digests, compared in constant time: no hex text to build per delivery.
    if hmac.compare_digest(secret.digest(body), given):
        return "valid"
    return "mismatch"


def describe_check(check: SignatureCheck) -> str:
    """A one-line reason for a failed check, for the 401 answer and the delivery log."""
    return {
        "valid": "signature valid",
        "missing": f"no {SIGNATURE_HEADER} header (a secret is set, so every delivery must be "
        "signed)",
        "malformed": f"{SIGNATURE_HEADER} is not 64 hex digits",
        "mismatch": f"{SIGNATURE_HEADER} does not match the body with this secret",
    }[check]
