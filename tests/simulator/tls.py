# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test certificates for serving HTTPS on 127.0.0.1, generated on demand into a temp dir.

Modes (what a client verifying with ``ca_file`` sees):

- ``ca``: a leaf for localhost / 127.0.0.1 / ::1 signed by a generated private CA: verifies.
- ``self-signed``: a self-signed leaf for the same names. Without a CA bundle clients fail with
  "self-signed certificate"; ``ca_file`` is the certificate itself, which then verifies.
- ``hostname-mismatch``: CA-signed, valid, but only for ``sim-other.invalid``: "IP address mismatch"
  (or "Hostname mismatch" when connecting by name).
- ``expired``: CA-signed for the right names, validity ended a day ago: "certificate has expired".

Validity follows the real wall clock (the client's TLS stack checks against it), never the
simulated cloud clock. EC P-256 keys: generating a set takes milliseconds. Uses the
``cryptography`` package (a dependency of ansible-core, so present in every test venv); it is
imported only when TLS is asked for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress
import os
import shutil
import ssl
import tempfile
import weakref

MODES = ("ca", "self-signed", "hostname-mismatch", "expired")
GOOD_NAMES = ("localhost", "127.0.0.1", "::1")
MISMATCH_NAME = "sim-other.invalid"


def _names(x509, names):
    entries = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _write(path, data):
    with open(path, "wb") as handle:
        handle.write(data)
    return path


class TlsMaterial:
    """Key and certificate files for one mode; the temp dir goes away with this object."""

    def __init__(self, mode):
        if mode not in MODES:
            raise ValueError("tls must be one of %s or None, got %r" % (", ".join(MODES), mode))
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        self.mode = mode
        self.dir = tempfile.mkdtemp(prefix="sim-tls-")
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.dir, True)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        day = datetime.timedelta(days=1)

        def pem_key(key):
            return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

        def subject(common_name):
            return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "taskgate simulator"),
                              x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

        leaf_key = ec.generate_private_key(ec.SECP256R1())
        names = (MISMATCH_NAME,) if mode == "hostname-mismatch" else GOOD_NAMES
        not_before, not_after = (now - 10 * day, now - day) if mode == "expired" else (now - datetime.timedelta(hours=1), now + 30 * day)
        if mode == "self-signed":
            issuer_name, issuer_key = subject(names[0]), leaf_key
        else:
            ca_key = ec.generate_private_key(ec.SECP256R1())
            issuer_name, issuer_key = subject("taskgate simulator test CA"), ca_key
            ca_cert = (x509.CertificateBuilder()
                       .subject_name(issuer_name).issuer_name(issuer_name)
                       .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
                       .not_valid_before(now - day).not_valid_after(now + 60 * day)
                       .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                       .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                                    data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                                    crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                       .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
                       .sign(ca_key, hashes.SHA256()))
        builder = (x509.CertificateBuilder()
                   .subject_name(subject(names[0])).issuer_name(issuer_name)
                   .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(not_before).not_valid_after(not_after)
                   .add_extension(_names(x509, names), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
        if mode == "self-signed":
            # What `openssl req -x509` makes: its own issuer, usable as its own trust anchor.
            builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        else:
            builder = (builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                       .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
        leaf_cert = builder.sign(issuer_key, hashes.SHA256())

        self.key_file = _write(os.path.join(self.dir, "server.key"), pem_key(leaf_key))
        self.cert_file = _write(os.path.join(self.dir, "server.crt"), leaf_cert.public_bytes(serialization.Encoding.PEM))
        if mode == "self-signed":
            self.ca_file = self.cert_file
        else:
            self.ca_file = _write(os.path.join(self.dir, "ca.crt"), ca_cert.public_bytes(serialization.Encoding.PEM))
        self.names = names
        self.not_after = not_after

    def server_context(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def info(self):
        return {"mode": self.mode, "ca_file": self.ca_file, "cert_file": self.cert_file, "names": list(self.names)}

    def remove(self):
        self._cleanup()
