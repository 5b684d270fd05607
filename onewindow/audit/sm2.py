"""SM2 signatures (GB/T 32918) behind the audit `Signer` protocol, through `gmssl_pyx` (GmSSL's C code).

Never the pure-Python `gmssl` package: its SM2 nonce comes from `random`. The signer signs with the
default signer id (1234567812345678) and SM3, as GB/T 32918.2 and GM/T 0009 describe; signatures are
DER (r, s). Public keys are written as SubjectPublicKeyInfo PEM (id-ecPublicKey over sm2p256v1,
1.2.156.10197.1.301), which GmSSL and OpenSSL read.

Keys are files: `sm2_key_load(path)` reads one (two hex lines: private, public), and in development
`sm2_key_load_or_create(path)` makes it once (mode 0600). Business apps (certificates) hold their own
keys and call `Sm2Signer`; `register_sm2_verifier()` adds "sm2" to `signing.VERIFIERS`, so an audit
checkpoint signed with SM2 verifies too.
"""

from __future__ import annotations

import base64
from pathlib import Path

import gmssl_pyx

from onewindow.audit import signing

SCHEME = "sm2"
# SEQUENCE { SEQUENCE { id-ecPublicKey, sm2p256v1 }, BIT STRING 04 || x || y }
_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d03420004")


class Sm2Signer:
    """Implements `onewindow.audit.signing.Signer`."""

    scheme = SCHEME

    def __init__(self, private_key: bytes, public_key: bytes) -> None:
        if len(private_key) != 32 or len(public_key) != 64:
            raise ValueError("SM2 keys are 32 bytes (private) and 64 bytes (public x || y)")
        self._private, self.public_key = private_key, public_key

    def sign(self, data: bytes) -> bytes:
        signature: bytes = gmssl_pyx.sm2_sign(self._private, self.public_key, data)
        return signature

    def public_key_pem(self) -> str:
        return public_key_pem(self.public_key)


def public_key_pem(public_key: bytes) -> str:
    body = base64.encodebytes(_SPKI_PREFIX + public_key).decode().replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"


def public_key_from_pem(pem: str) -> bytes:
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    der = base64.b64decode(body, validate=True)
    if not der.startswith(_SPKI_PREFIX) or len(der) != len(_SPKI_PREFIX) + 64:
        raise ValueError("not an SM2 public key")
    return der[len(_SPKI_PREFIX) :]


def sm2_verify(public_key_pem_text: str, data: bytes, signature: bytes) -> bool:
    try:
        key = public_key_from_pem(public_key_pem_text)
        return bool(gmssl_pyx.sm2_verify(key, data, signature))
    except (ValueError, gmssl_pyx.GmsslInnerError, gmssl_pyx.InvalidValueError):
        return False


def register_sm2_verifier() -> None:
    signing.VERIFIERS[SCHEME] = sm2_verify


def sm2_key_load(path: Path) -> Sm2Signer:
    lines = path.read_text(encoding="ascii").split()
    if len(lines) != 2:
        raise ValueError(f"{path} must hold two hex lines: the SM2 private key and public key")
    return Sm2Signer(bytes.fromhex(lines[0]), bytes.fromhex(lines[1]))


def sm2_key_load_or_create(path: Path) -> Sm2Signer:
    """Development: create the key file once (0600, written aside and linked into place), then read it."""
    if not path.exists():
        public, private = gmssl_pyx.sm2_key_generate()
        signing.write_once(path, f"{private.hex()}\n{public.hex()}\n".encode("ascii"))
    return sm2_key_load(path)
