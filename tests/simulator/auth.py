# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gateway-side authentication: tokens and SDK-HMAC-SHA256 verification.

The verifier is written from the rules in /work/shared/api-notes.md on purpose,
independently of the collection's signer, so that a bug in the signer cannot be
mirrored here and pass unnoticed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import hashlib
import hmac
import re
import time

from urllib.parse import parse_qsl, quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_AUTH_RE = re.compile(r"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$")


class AuthFailure(Exception):
    """401 from the gateway. ``code`` is APIGW.0301 (bad credentials) or APIGW.0307 (expired token)."""

    def __init__(self, detail, code="APIGW.0301"):
        super(AuthFailure, self).__init__(detail)
        self.code = code
        self.detail = detail


class SkewFailure(AuthFailure):
    """X-Sdk-Date too far from the gateway's clock (either direction).

    Huawei Cloud's API Gateway refuses a signature whose X-Sdk-Date is more than 15 minutes from its
    own time. Public sources (API Gateway FAQ "Incorrect app authentication information", apig-faq-0009;
    API Request Signing Guide FAQ "Common Errors Related to IAM Authentication Information",
    devg-apisign/api-sign-0001; both on support.huaweicloud.com):
      - IAM (AK/SK) authentication, which cloud service APIs use: 401 APIGW.0301
        "Incorrect IAM authentication information: verify aksk signature fail, ..." (the guide's first
        check for it is whether x-sdk-date is within 15 minutes of the current time);
      - APP authentication: 401 APIGW.0303 (APIG.0303 on dedicated gateways) "Incorrect app
        authentication information: signature expired, signature time:20230527T000431Z,server
        time:20230527T020608Z".
    The IAM message's tail is elided in the docs; we fill it with the APP form's wording.
    """

    def __init__(self, sdk_date, server_time, skew, max_skew):
        detail = "verify aksk signature fail, signature expired, signature time:%s,server time:%s" % (
            sdk_date, time.strftime(SDK_DATE_FORMAT, time.gmtime(server_time)))
        super(SkewFailure, self).__init__(detail)
        self.sdk_date = sdk_date
        self.server_time = server_time
        self.skew = skew
        self.max_skew = max_skew

    def message(self, code):
        server = time.strftime(SDK_DATE_FORMAT, time.gmtime(self.server_time))
        if code == "APIGW.0303":
            return "Incorrect app authentication information: signature expired, signature time:%s,server time:%s" % (self.sdk_date, server)
        return "Incorrect IAM authentication information: " + self.detail


def _quote(text):
    return quote(text, safe="~")


def canonical_uri(path):
    """Unquote the path, quote each segment (safe '~'), always end with '/'."""
    uri = "/".join(_quote(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(raw_query):
    """Sorted (key, value) pairs, both quoted (safe '~'), joined with '&'.

    The raw query is decoded with form rules ('+' is a space, %2B a plus), which is
    how both requests and the Huawei SDK encode what they signed.
    """
    pairs = sorted(parse_qsl(raw_query or "", keep_blank_values=True))
    return "&".join("%s=%s" % (_quote(key), _quote(value)) for key, value in pairs)


def canonical_request(method, path, raw_query, headers, signed_headers, payload_hash):
    """headers: mapping lower-case name -> value; signed_headers: sorted lower-case names."""
    canon_headers = "".join("%s:%s\n" % (name, headers[name].strip()) for name in signed_headers)
    return "\n".join([method.upper(), canonical_uri(path), canonical_query(raw_query), canon_headers,
                      ";".join(signed_headers), payload_hash])


def string_to_sign(canonical, sdk_date):
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, digest)


def sign(secret_key, to_sign):
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value):
    match = _AUTH_RE.match(value or "")
    if not match:
        raise AuthFailure("malformed Authorization header, expected 'SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...'")
    access, signed, signature = match.groups()
    return access, signed.split(";"), signature.lower()


def parse_sdk_date(text):
    try:
        return float(calendar.timegm(time.strptime(text, SDK_DATE_FORMAT)))
    except (TypeError, ValueError):
        raise AuthFailure("X-Sdk-Date must look like 20191115T033655Z")


def verify_aksk(method, path, raw_query, headers, body, access_key, secret_key, now, max_skew, security_token=None):
    """Check an AK/SK-signed request; raise AuthFailure with the reason, return the AK when good.

    ``headers`` is a mapping lower-case name -> value (first occurrence).
    """
    access, signed_headers, signature = parse_authorization(headers.get("authorization"))
    if not hmac.compare_digest(access, access_key):
        raise AuthFailure("the access key does not exist")
    if signed_headers != sorted(signed_headers) or "x-sdk-date" not in signed_headers or "host" not in signed_headers:
        raise AuthFailure("SignedHeaders must be sorted and include host and x-sdk-date")
    missing = [name for name in signed_headers if name not in headers]
    if missing:
        raise AuthFailure("signed header(s) missing from the request: %s" % ", ".join(missing))
    sdk_date = headers["x-sdk-date"].strip()
    skew = abs(parse_sdk_date(sdk_date) - now)
    if skew > max_skew:
        raise SkewFailure(sdk_date, now, skew, max_skew)
    given_token = headers.get("x-security-token")
    if security_token is not None and not (given_token and hmac.compare_digest(given_token, security_token)):
        raise AuthFailure("a temporary access key needs its X-Security-Token")
    if security_token is None and given_token:
        raise AuthFailure("X-Security-Token given for a permanent access key")
    if headers.get("x-sdk-content-sha256") == UNSIGNED_PAYLOAD:
        payload_hash = UNSIGNED_PAYLOAD
    else:
        payload_hash = hashlib.sha256(body or b"").hexdigest()
    canonical = canonical_request(method, path, raw_query, headers, signed_headers, payload_hash)
    expected = sign(secret_key, string_to_sign(canonical, sdk_date))
    if not hmac.compare_digest(expected, signature):
        raise AuthFailure("the signature does not match the request")
    return access


class TokenBook:
    """Static and IAM-issued tokens. Not thread-safe by itself: the caller holds the state lock."""

    def __init__(self):
        self._tokens = {}   # token -> {"expires": epoch or None, "expired": bool}

    def add(self, token, expires=None):
        self._tokens[token] = {"expires": expires, "expired": False}

    def expire_all(self):
        for record in self._tokens.values():
            record["expired"] = True

    def check(self, token, now):
        record = self._tokens.get(token)
        if record is None:
            raise AuthFailure("verify token fail: unknown token")
        if record["expired"] or (record["expires"] is not None and now >= record["expires"]):
            raise AuthFailure("The token must be updated.", code="APIGW.0307")
