"""Keys of the certificates: the trust root, one seal (key + X.509 certificate) per issuing department,
and the SM2 key of the data signature.

Production (docs/operations/certificates.md): CERTIFICATES_CA_CERT_FILE (the root the seals chain to),
the seals either as files in CERTIFICATES_SEAL_DIR (`<department code>.key.pem`, `<department
code>.cert.pem`, an optional `chain.pem` of intermediates) or on a PKCS#11 token
(CERTIFICATES_PKCS11_MODULE, CERTIFICATES_PKCS11_TOKEN, CERTIFICATES_PKCS11_PIN_FILE; key and
certificate labelled with the department code), and CERTIFICATES_SM2_KEY_FILE.

Development (CERTIFICATES_DEV_KEYS_DIR, by default var/certificates/ in DEBUG): a development CA, each
department's seal and the SM2 key are generated on first use there (never committed) and read from
there afterwards.
Every signer is built once per process (lru_cache).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from onewindow.audit.signing import write_once
from onewindow.audit.sm2 import Sm2Signer, sm2_key_load, sm2_key_load_or_create

# Development certificates are valid from long ago, so that documents dated in the past (tests that
# travel in time, the demo's history) validate too. Production certificates come from a real CA.
DEV_NOT_BEFORE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CA_NAME = "onewindow 开发环境电子证照根证书（仅供测试）"


def _dev_dir() -> Path:
    return Path(settings.CERTIFICATES_DEV_KEYS_DIR)


def _development() -> bool:
    if not settings.CERTIFICATES_DEV_KEYS_DIR:
        raise ImproperlyConfigured(
            "set CERTIFICATES_CA_CERT_FILE and CERTIFICATES_SEAL_DIR (or CERTIFICATES_PKCS11_MODULE) "
            "and CERTIFICATES_SM2_KEY_FILE to issue certificates"
        )
    return True


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "onewindow"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _dev_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    folder = _dev_dir()
    key_path, cert_path = folder / "ca.key.pem", folder / "ca.cert.pem"
    if not cert_path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        key_pem = write_once(key_path, _key_pem(key))
        loaded = serialization.load_pem_private_key(key_pem, None)
        assert isinstance(loaded, ec.EllipticCurvePrivateKey)
        key = loaded
        now = dt.datetime.now(dt.UTC)
        name = _name(CA_NAME)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(DEV_NOT_BEFORE)
            .not_valid_after(now + dt.timedelta(days=365 * 30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        write_once(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    ca_key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    return ca_key, x509.load_pem_x509_certificate(cert_path.read_bytes())


def _dev_seal(code: str, name: str) -> tuple[bytes, bytes]:
    """The department's development seal: (key PEM, certificate PEM), made once and signed by the CA."""
    folder = _dev_dir() / "seals"
    key_path, cert_path = folder / f"{code}.key.pem", folder / f"{code}.cert.pem"
    if not cert_path.exists():
        ca_key, ca_cert = _dev_ca()
        key = serialization.load_pem_private_key(
            write_once(key_path, _key_pem(ec.generate_private_key(ec.SECP256R1()))), None
        )
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(f"{name}电子印章"))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(DEV_NOT_BEFORE)
            .not_valid_after(now + dt.timedelta(days=365 * 25))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        write_once(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return key_path.read_bytes(), cert_path.read_bytes()


def trust_root_pem() -> bytes:
    """The root certificate (PEM) every seal chains to: what a PDF reader is told to trust."""
    if settings.CERTIFICATES_CA_CERT_FILE:
        return Path(settings.CERTIFICATES_CA_CERT_FILE).read_bytes()
    _development()
    _dev_ca()
    return (_dev_dir() / "ca.cert.pem").read_bytes()


@lru_cache(maxsize=4)
def _trust_roots(pem: bytes) -> tuple[asn1_x509.Certificate, ...]:
    return tuple(
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in x509.load_pem_x509_certificates(pem)
    )


def trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    """Every root in CERTIFICATES_CA_CERT_FILE (the current one first; older ones after a rotation)."""
    return _trust_roots(trust_root_pem())


def trust_root() -> asn1_x509.Certificate:
    """The current root: the first of the file, the one new seals chain to."""
    return trust_roots()[0]


def seal_signer(code: str, name: str) -> signers.Signer:
    """The department's seal as a pyHanko signer (cached per process and configuration)."""
    return _seal_signer(
        code,
        name,
        settings.CERTIFICATES_SEAL_DIR,
        settings.CERTIFICATES_PKCS11_MODULE,
        settings.CERTIFICATES_CA_CERT_FILE,
        str(settings.CERTIFICATES_DEV_KEYS_DIR),
    )


@lru_cache(maxsize=64)
def _seal_signer(code: str, name: str, seal_dir: str, pkcs11_module: str, ca_file: str, dev: str) -> signers.Signer:
    root = trust_root()
    if pkcs11_module:
        return _pkcs11_signer(code, pkcs11_module)
    if seal_dir:
        folder = Path(seal_dir)
        try:
            key_pem, cert_pem = (folder / f"{code}.key.pem").read_bytes(), (folder / f"{code}.cert.pem").read_bytes()
        except OSError as exc:
            raise ImproperlyConfigured(f"CERTIFICATES_SEAL_DIR has no seal for department {code}: {exc}") from exc
        chain = folder / "chain.pem"
        extra = list(x509.load_pem_x509_certificates(chain.read_bytes())) if chain.exists() else []
    else:
        _development()
        key_pem, cert_pem = _dev_seal(code, name)
        extra = []
    key = serialization.load_pem_private_key(key_pem, None)
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER))
    chain_certs = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in extra]
    store = SimpleCertificateStore.from_certs([root, *chain_certs])  # type: ignore[no-untyped-call]
    return signers.SimpleSigner(signing_cert=cert, signing_key=key_info, cert_registry=store)


def _pkcs11_signer(code: str, module: str) -> signers.Signer:  # pragma: no cover - needs a token
    """The seal on a PKCS#11 token (pyHanko's PKCS11Signer; `python-pkcs11` must be installed)."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    pin_file = settings.CERTIFICATES_PKCS11_PIN_FILE
    pin = Path(pin_file).read_text(encoding="utf-8").strip() if pin_file else None
    criteria = TokenCriteria(label=settings.CERTIFICATES_PKCS11_TOKEN or None)
    session = pkcs11.open_pkcs11_session(module, token_criteria=criteria, user_pin=pin)
    signer: signers.Signer = pkcs11.PKCS11Signer(session, cert_label=code, key_label=code)
    return signer


def data_signer() -> Sm2Signer:
    """The SM2 key that signs the certificates' canonical data (cached per process)."""
    return _data_signer(settings.CERTIFICATES_SM2_KEY_FILE, str(settings.CERTIFICATES_DEV_KEYS_DIR))


@lru_cache(maxsize=4)
def _data_signer(key_file: str, dev_dir: str) -> Sm2Signer:
    if key_file:
        return sm2_key_load(Path(key_file))
    _development()
    return sm2_key_load_or_create(Path(dev_dir) / "sm2-data.key")
