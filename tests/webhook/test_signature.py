"""Qlik-Signature: the hex HMAC-SHA256 of the raw body, and the secret's handling."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract.webhook._signature import (
    SECRET_ENV,
    Secret,
    SecretError,
    load_secret,
    secret_file_warning,
    sign,
    verify,
)

from .conftest import SECRET

# Computed with `openssl dgst -sha256 -hmac SECRET`, not with the code under test.
OPENSSL_VECTORS = [
    (
        b'{"specversion":"1.0","id":"a"}',
        "5e851b22b6f5dd4a3b7c408ce29db022154f8a11d0c394e7d32e2da38c204726",
    ),
    (b"", "4170d54a6b1758dfd358f2da29adb59764d91b45e6a10d0bc248ead1a8bca8ec"),
]


@pytest.fixture
def secret() -> Secret:
    return Secret.from_text(SECRET)


@pytest.mark.parametrize(("body", "expected"), OPENSSL_VECTORS)
def test_sign_matches_an_independent_hmac(secret: Secret, body: bytes, expected: str) -> None:
    assert sign(body, secret) == expected
    assert verify(body, expected, secret) == "valid"


def test_verify_accepts_upper_case_hex_and_surrounding_space(secret: Secret) -> None:
    body, expected = OPENSSL_VECTORS[0]
    assert verify(body, f" {expected.upper()} ", secret) == "valid"


def test_verify_tells_missing_malformed_and_mismatch_apart(secret: Secret) -> None:
    body, good = OPENSSL_VECTORS[0]
    assert verify(body, None, secret) == "missing"
    assert verify(body, "", secret) == "missing"
    assert verify(body, good[:-1], secret) == "malformed"
    assert verify(body, good + "0", secret) == "malformed"
    assert verify(body, "g" * 64, secret) == "malformed"
    assert verify(body, "sha256=" + good, secret) == "malformed"
    assert verify(body, good[:2] + "  " + good[4:], secret) == "malformed"  # 64 characters
    assert verify(body, "é" + good[1:], secret) == "malformed"
    assert verify(body + b" ", good, secret) == "mismatch"
    other = Secret.from_text(SECRET[::-1])
    assert verify(body, good, other) == "mismatch"


@settings(max_examples=60, deadline=None)
@given(
    body=st.binary(max_size=2048),
    key=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=32, max_size=64
    ),
    flip=st.integers(min_value=0),
)
def test_sign_verify_round_trip_and_any_changed_byte_fails(
    body: bytes, key: str, flip: int
) -> None:
    secret = Secret.from_text(key)
    signature = sign(body, secret)
    assert signature == hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    assert verify(body, signature, secret) == "valid"
    if body:
        i = flip % len(body)
        changed = body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :]
        assert verify(changed, signature, secret) == "mismatch"


@pytest.mark.parametrize("length", [32, 48, 64])
def test_secret_lengths_in_range_are_accepted(length: int) -> None:
    assert len(Secret.from_text("s" * length).key) == length


@pytest.mark.parametrize("length", [0, 1, 31, 65, 200])
def test_secret_lengths_out_of_range_are_refused_without_showing_it(length: int) -> None:
    text = "Zq" * (length // 2) + "Z" * (length % 2)
    with pytest.raises(SecretError) as info:
        Secret.from_text(text, SECRET_ENV)
    message = str(info.value)
    assert f"has {length}" in message
    assert SECRET_ENV in message
    if text:
        assert text not in message


def test_the_secret_never_shows_in_repr_or_str(secret: Secret) -> None:
    assert SECRET not in repr(secret)
    assert SECRET not in str(secret)
    assert SECRET not in f"{secret!r} {secret}"


def test_load_secret_from_the_environment() -> None:
    loaded = load_secret(environ={SECRET_ENV: SECRET})
    assert loaded is not None
    assert loaded.key == SECRET.encode()
    assert loaded.origin == SECRET_ENV
    assert load_secret(environ={}) is None
    assert load_secret(environ={SECRET_ENV: ""}) is None  # an empty variable is unset


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_load_secret_from_a_file_drops_one_line_ending(tmp_path: Path, ending: str) -> None:
    path = tmp_path / "secret"
    path.write_bytes((SECRET + ending).encode())
    loaded = load_secret(path, environ={})
    assert loaded is not None and loaded.key == SECRET.encode()


def test_the_file_wins_over_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text(SECRET[::-1])
    loaded = load_secret(path, environ={SECRET_ENV: SECRET})
    assert loaded is not None and loaded.key == SECRET[::-1].encode()


def test_a_file_whose_content_is_too_short_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text("Qv8tooShortXz\n")
    with pytest.raises(SecretError, match="has 13") as info:
        load_secret(path, environ={})
    assert str(path) in str(info.value)
    assert "Qv8tooShortXz" not in str(info.value)


def test_a_missing_secret_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(SecretError, match="cannot read the secret file"):
        load_secret(tmp_path / "absent", environ={})


def test_secrets_have_no_field_by_field_equality() -> None:
    """`==` on keys would take time depending on where they differ: identity only."""
    a, b = Secret.from_text(SECRET), Secret.from_text(SECRET)
    assert a.key == b.key  # the same key...
    assert a != b and a == a  # ...but == is identity, never a comparison of the keys
    assert Secret.__eq__ is object.__eq__
    assert len({a, b}) == 2  # hashable, by identity


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_secret_file_warning_only_for_files_others_can_read(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text(SECRET)
    path.chmod(0o600)
    assert secret_file_warning(path) is None
    path.chmod(0o400)
    assert secret_file_warning(path) is None
    for mode, who in ((0o640, "its group"), (0o604, "others"), (0o644, "its group and others")):
        path.chmod(mode)
        warning = secret_file_warning(path)
        assert warning is not None and "\n" not in warning and SECRET not in warning
        assert f"readable by {who} (mode {mode:04o})" in warning and str(path) in warning
    assert secret_file_warning(tmp_path / "absent") is None  # reading it reports that
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o644)
    assert secret_file_warning(fifo) is None  # a pipe, as from <(pass show ...)
