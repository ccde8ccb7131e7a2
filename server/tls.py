"""A center's own certificate authority and its server certificate, for HTTPS on a private LAN.

A center's server has no public name (``https://192.168.1.10:8000``), so no public CA will sign
for it. ``nafitha tls init`` makes a small CA once (its key stays on the server box, mode 0600)
and signs a server certificate naming the box's addresses as IP SANs (and any names given). The
kiosks and counters trust that one CA file (``ca_file``), browsers of the boards and the
manager import it once; re-running the command re-issues the server certificate with the same
CA, so nothing needs to be trusted again when the box gets a new address.

Keys are ECDSA P-256: every client we run (OpenSSL through requests, Chromium, phones of the last
decade) accepts it, and it is small and fast. The server certificate lives 825 days (the most
Apple devices accept) and the CA ten years.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SERVER_DAYS = 825
CA_DAYS = 3650


@dataclass(frozen=True)
class TlsFiles:
    """The four files of a center's TLS folder."""

    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca.key"

    @property
    def cert(self) -> Path:
        return self.folder / "server.crt"

    @property
    def key(self) -> Path:
        return self.folder / "server.key"


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` with ``mode`` from the start: a key is never readable by others."""
    partial = path.with_name(path.name + ".new")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(partial, mode)
    os.replace(partial, path)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common: str, center: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, center[:64] or "Nafitha"),
            x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
        ]
    )


def make_ca(files: TlsFiles, center: str, now: dt.datetime) -> x509.Certificate:
    """A new CA (key and self-signed certificate) in ``files.folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{center} - Nafitha center CA", center)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    files.folder.mkdir(parents=True, exist_ok=True)
    _write(files.ca_key, _pem_key(key), 0o600)
    _write(files.ca_cert, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert


def load_ca(files: TlsFiles) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{files.ca_key}: not an EC key made by nafitha tls init")
    return cert, key


def issue_server(
    files: TlsFiles, addresses: list[str], names: list[str], now: dt.datetime
) -> x509.Certificate:
    """The server's key and certificate for ``addresses`` (IP SANs) and ``names`` (DNS SANs).

    ``server.crt`` holds the certificate then the CA's, the chain a client needs.
    """
    ips = [ipaddress.ip_address(a) for a in addresses]
    if not ips and not names:
        raise ValueError("give at least one --ip address (or --name) the clients use")
    ca_cert, ca_key = load_ca(files)
    key = ec.generate_private_key(ec.SECP256R1())
    alt: list[x509.GeneralName] = [x509.IPAddress(ip) for ip in ips]
    alt += [x509.DNSName(n) for n in names]
    center = ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(str(names[0] if names else ips[0]), str(center)))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    _write(files.key, _pem_key(key), 0o640)
    _write(files.cert, cert.public_bytes(pem) + ca_cert.public_bytes(pem), 0o644)
    return cert


def spki_pin(pem: bytes) -> str:
    """base64(SHA-256(SubjectPublicKeyInfo)) of the first certificate in ``pem``: the value
    Chromium's ``--ignore-certificate-errors-spki-list`` trusts (a board's session)."""
    import base64

    cert = x509.load_pem_x509_certificate(pem)
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return base64.b64encode(digest.finalize()).decode()


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint as browsers show it (``AB:CD:...``), to check a CA copied by hand."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))
