# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDK-HMAC-SHA256 request signing (Huawei Cloud AK/SK), without the Huawei SDK at runtime.

Follows huaweicloudsdkcore.signer.Signer: canonical request of method, canonical URI,
canonical query, canonical headers, signed header names and the body hash; the string to
sign is ``SDK-HMAC-SHA256\\n{X-Sdk-Date}\\n{sha256(canonical request)}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
import time

from urllib.parse import parse_qsl, quote, unquote, urlsplit

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
CONTENT_HASH_HEADER = "X-Sdk-Content-Sha256"
EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()


def url_encode(text):
    """Percent-encode everything except unreserved characters (RFC 3986), as the gateway does."""
    return quote(text, safe="~")


def query_value(value):
    """Text form of a query value: booleans as true/false, like the SDK."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def canonical_uri(path):
    """Unquote, split on '/', encode each segment, always end with '/'."""
    encoded = "/".join(url_encode(segment) for segment in unquote(path or "/").split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(pairs):
    """Sorted (key, value) pairs, both encoded, joined with '&'.

    ``pairs`` is a list of (key, value) tuples (repeated keys allowed); sorting happens on the
    raw text before encoding, like the SDK.
    """
    items = sorted((query_value(key), query_value(value)) for key, value in pairs)
    return "&".join("%s=%s" % (url_encode(key), url_encode(value)) for key, value in items)


def canonical_headers(headers):
    """Return (canonical header block, signed header names joined by ';')."""
    normalized = {}
    for name, value in headers.items():
        normalized[name.lower()] = str(value).strip()
    names = sorted(normalized)
    block = "".join("%s:%s\n" % (name, normalized[name]) for name in names)
    return block, ";".join(names)


def _body_bytes(body):
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    return body.encode("utf-8")


def payload_hash(body, headers):
    for name, value in headers.items():
        if name.lower() == CONTENT_HASH_HEADER.lower() and value:
            return value
    data = _body_bytes(body)
    return hashlib.sha256(data).hexdigest() if data else EMPTY_BODY_HASH


def canonical_request(method, path, query_pairs, headers, body):
    """The canonical request text and the signed header names."""
    header_block, signed_headers = canonical_headers(headers)
    text = "\n".join((
        method.upper(), canonical_uri(path), canonical_query(query_pairs), header_block,
        signed_headers, payload_hash(body, headers),
    ))
    return text, signed_headers


def string_to_sign(canonical_request_text, sdk_date):
    digest = hashlib.sha256(canonical_request_text.encode("utf-8")).hexdigest()
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, digest)


def signature(secret_key, text):
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def format_sdk_date(epoch_seconds):
    return time.strftime(DATE_FORMAT, time.gmtime(epoch_seconds))


class Signer:
    """Signs requests with an access key / secret key pair.

    ``wall_clock`` (epoch seconds) is injectable so tests can pin X-Sdk-Date.
    """

    def __init__(self, access_key, secret_key, wall_clock=time.time):
        if not access_key or not secret_key:
            raise ValueError("both an access key and a secret key are required to sign requests")
        self.access_key = access_key
        self._secret_key = secret_key
        self._wall_clock = wall_clock

    def __repr__(self):
        return "Signer(access_key=%r)" % self.access_key

    def sign(self, method, url, headers=None, body=None):
        """Return a new header dict: the given headers (values stripped) plus X-Sdk-Date, Host and Authorization.

        An X-Sdk-Date already in ``headers`` is kept (that is how fixed test vectors are replayed).
        """
        parts = urlsplit(url)
        signed = {}
        for name, value in (headers or {}).items():
            signed[name] = str(value).strip()
        lower_names = set(name.lower() for name in signed)
        if DATE_HEADER.lower() not in lower_names:
            signed[DATE_HEADER] = format_sdk_date(self._wall_clock())
        if "host" not in lower_names:
            signed["Host"] = parts.netloc
        sdk_date = [value for name, value in signed.items() if name.lower() == DATE_HEADER.lower()][0]
        query_pairs = parse_qsl(parts.query, keep_blank_values=True)
        text, signed_names = canonical_request(method, parts.path, query_pairs, signed, body)
        digest = signature(self._secret_key, string_to_sign(text, sdk_date))
        signed["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
            ALGORITHM, self.access_key, signed_names, digest)
        return signed
