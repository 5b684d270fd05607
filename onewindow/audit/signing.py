"""Checkpoint signatures: the deployment's key behind a small Protocol.

Ed25519 through `cryptography` today; an SM2 signer (GB/T 32918) plugs in later by
implementing `Signer` and adding its verifier to `VERIFIERS`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEBUG_KEY_NAME = "audit-signing-key.pem"


class Signer(Protocol):
    scheme: str

    def sign(self, data: bytes) -> bytes: ...

    def public_key_pem(self) -> str: ...


class Ed25519Signer:
    scheme = "ed25519"

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def public_key_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )


def _verify_ed25519(public_key_pem: str, data: bytes, signature: bytes) -> bool:
    key = serialization.load_pem_public_key(public_key_pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        return False
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


VERIFIERS: dict[str, Callable[[str, bytes, bytes], bool]] = {"ed25519": _verify_ed25519}


def verify_signature(scheme: str, public_key_pem: str, data: bytes, signature_b64: str) -> bool:
    verifier = VERIFIERS.get(scheme)
    if verifier is None:
        return False
    try:
        return verifier(public_key_pem, data, base64.b64decode(signature_b64, validate=True))
    except ValueError:  # a malformed key or signature proves nothing
        return False


def encode_signature(signature: bytes) -> str:
    return base64.b64encode(signature).decode()


def key_fingerprint(public_key_pem: str) -> str:
    """SHA-256 of the public key's DER form, the way operators compare keys by eye."""
    key = serialization.load_pem_public_key(public_key_pem.encode())
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256:" + hashlib.sha256(der).hexdigest()


def trusted_public_keys() -> dict[str, str]:
    """Fingerprint → PEM of every key whose checkpoints this deployment accepts: its signing key's,
    then the retired ones listed in AUDIT_RETIRED_PUBLIC_KEYS_FILE. A checkpoint carries its public
    key, so without this list a forger would simply sign with a key of their own."""
    current = get_signer().public_key_pem()
    trusted = {key_fingerprint(current): current}
    for pem in retired_public_keys():
        trusted.setdefault(key_fingerprint(pem), pem)
    return trusted


_PUBLIC_KEY_PEM = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def retired_public_keys() -> list[str]:
    """The public keys (PEM) of AUDIT_RETIRED_PUBLIC_KEYS_FILE; ImproperlyConfigured when it is unusable."""
    path = settings.AUDIT_RETIRED_PUBLIC_KEYS_FILE
    if not path:
        return []
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"AUDIT_RETIRED_PUBLIC_KEYS_FILE {path!r} cannot be read: {exc}") from exc
    keys = _PUBLIC_KEY_PEM.findall(text)
    if not keys:
        raise ImproperlyConfigured(f"AUDIT_RETIRED_PUBLIC_KEYS_FILE {path!r} holds no PEM public key")
    for n, pem in enumerate(keys, start=1):
        try:
            key = serialization.load_pem_public_key(pem.encode())
        except ValueError as exc:
            raise ImproperlyConfigured(f"AUDIT_RETIRED_PUBLIC_KEYS_FILE: key {n} is not a PEM public key") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise ImproperlyConfigured(f"AUDIT_RETIRED_PUBLIC_KEYS_FILE: key {n} is not an Ed25519 public key")
    return keys


def key_source_configured() -> bool:
    return bool(settings.AUDIT_SIGNING_KEY or settings.AUDIT_SIGNING_KEY_FILE)


def get_signer() -> Signer:
    """The deployment's signer: AUDIT_SIGNING_KEY, else AUDIT_SIGNING_KEY_FILE, else (DEBUG) a local key."""
    return _signer_from(
        settings.AUDIT_SIGNING_KEY, settings.AUDIT_SIGNING_KEY_FILE, str(settings.VAR_DIR), bool(settings.DEBUG)
    )


@lru_cache(maxsize=4)
def _signer_from(key_pem: str, key_file: str, var_dir: str, debug: bool) -> Signer:
    if key_pem:
        return _load(key_pem.encode(), "AUDIT_SIGNING_KEY")
    if key_file:
        try:
            return _load(Path(key_file).read_bytes(), "AUDIT_SIGNING_KEY_FILE")
        except OSError as exc:
            raise ImproperlyConfigured(f"AUDIT_SIGNING_KEY_FILE {key_file!r} cannot be read: {exc}") from exc
    if not debug:
        raise ImproperlyConfigured("set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE to sign audit checkpoints")
    return _load(_debug_key(Path(var_dir) / DEBUG_KEY_NAME), str(Path(var_dir) / DEBUG_KEY_NAME))


def _load(pem: bytes, source: str) -> Signer:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{source} does not hold an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{source} must be an Ed25519 private key (openssl genpkey -algorithm ed25519)")
    return Ed25519Signer(key)


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _debug_key(path: Path) -> bytes:
    """Create the development key once (mode 0600); every later call, and other processes, read it."""
    return path.read_bytes() if path.exists() else write_once(path, generate_private_key_pem())


def write_once(path: Path, data: bytes) -> bytes:
    """Write a secret to `path` unless another process did first (mode 0600); the file's bytes.

    It is written to a private temporary file and hard-linked into place, so a concurrent process
    either sees the whole file or writes none of its own.
    """
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes()
