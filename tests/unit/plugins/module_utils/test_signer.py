# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import hashlib
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import signer

# Known-good vector from docs/api-notes (Huawei's published AK/SK example).
VECTOR_AK = "QTWAOYTTINDUT2QVKYUC"
VECTOR_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
VECTOR_URL = ("https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
              "?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0")
VECTOR_HEADERS = {"Content-Type": "application/json", "X-Sdk-Date": "20191115T033655Z"}
VECTOR_CANONICAL_HASH = "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
VECTOR_SIGNATURE = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"


def test_known_good_vector_canonical_request_hash():
    parts = urlsplit(VECTOR_URL)
    headers = dict(VECTOR_HEADERS, Host=parts.netloc)
    text, signed = signer.canonical_request("GET", parts.path, parse_qsl(parts.query), headers, None)
    assert signed == "content-type;host;x-sdk-date"
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == VECTOR_CANONICAL_HASH


def test_known_good_vector_signature_and_authorization_header():
    signed = signer.Signer(VECTOR_AK, VECTOR_SK).sign("GET", VECTOR_URL, VECTOR_HEADERS)
    assert signed["Authorization"] == (
        "SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type;host;x-sdk-date, Signature=%s" % (VECTOR_AK, VECTOR_SIGNATURE))
    assert signed["Host"] == "service.region.example.com"
    assert signed["X-Sdk-Date"] == "20191115T033655Z"


def test_vector_fails_with_another_secret():
    signed = signer.Signer(VECTOR_AK, VECTOR_SK[:-1] + "x").sign("GET", VECTOR_URL, VECTOR_HEADERS)
    assert VECTOR_SIGNATURE not in signed["Authorization"]


def test_sdk_date_comes_from_the_injected_wall_clock():
    epoch = calendar.timegm((2026, 1, 2, 3, 4, 5, 0, 0, 0))
    signed = signer.Signer("AK", "SK", wall_clock=lambda: epoch).sign("GET", "https://h.example/x")
    assert signed["X-Sdk-Date"] == "20260102T030405Z"


@pytest.mark.parametrize("path, expected", [
    ("", "/"),
    ("/", "/"),
    ("/v1/abc", "/v1/abc/"),
    ("/v1/abc/", "/v1/abc/"),
    ("/v1/a b", "/v1/a%20b/"),
    ("/v1/a%20b", "/v1/a%20b/"),
    ("/v1/~user", "/v1/~user/"),
    ("/v1/caf\u00e9", "/v1/caf%C3%A9/"),
    ("/v1/a+b=c", "/v1/a%2Bb%3Dc/"),
    ("/v1/a:b@c", "/v1/a%3Ab%40c/"),
])
def test_canonical_uri(path, expected):
    assert signer.canonical_uri(path) == expected


@pytest.mark.parametrize("pairs, expected", [
    ([], ""),
    ([("limit", "2"), ("marker", "m")], "limit=2&marker=m"),
    ([("marker", "m"), ("limit", "2")], "limit=2&marker=m"),
    ([("id", "b"), ("id", "a"), ("id", "c")], "id=a&id=b&id=c"),
    ([("name", "a b")], "name=a%20b"),
    ([("name", "x~y")], "name=x~y"),
    ([("name", "caf\u00e9")], "name=caf%C3%A9"),
    ([("q", "a+b&c=d/e")], "q=a%2Bb%26c%3Dd%2Fe"),
    ([("empty", "")], "empty="),
    ([("flag", True), ("off", False), ("n", 5)], "flag=true&n=5&off=false"),
])
def test_canonical_query(pairs, expected):
    assert signer.canonical_query(pairs) == expected


def test_headers_are_lowercased_sorted_and_trimmed():
    block, names = signer.canonical_headers({"X-B": "  two ", "Host": "h", "x-a": "one"})
    assert names == "host;x-a;x-b"
    assert block == "host:h\nx-a:one\nx-b:two\n"


def test_payload_hash_of_body_and_of_empty_body():
    assert signer.payload_hash(None, {}) == hashlib.sha256(b"").hexdigest()
    assert signer.payload_hash(b'{"a":1}', {}) == hashlib.sha256(b'{"a":1}').hexdigest()
    assert signer.payload_hash('{"a":1}', {}) == hashlib.sha256(b'{"a":1}').hexdigest()
    assert signer.payload_hash(b"x", {"x-sdk-content-sha256": "UNSIGNED-PAYLOAD"}) == "UNSIGNED-PAYLOAD"


def test_signer_requires_both_keys():
    with pytest.raises(ValueError):
        signer.Signer("AK", "")
    assert "SK-VALUE" not in repr(signer.Signer("AK", "SK-VALUE"))


# ---- cross-check with the official SDK signer --------------------------------------------------

SDK_CASES = [
    ("GET", "/v3/p1/tasklist", [("limit", "50"), ("offset", "0")], {}, None),
    ("GET", "/v3/p1/jobs", [("id", "b"), ("id", "a")], {"X-Project-Id": "p1"}, None),
    ("GET", "/v3/p1/jobs/", [("name", "a b~c"), ("status", "Running")], {}, None),
    ("GET", "/v3/p1/jobs/caf\u00e9", [("name", "\u4efb\u52a1")], {}, None),
    ("GET", "/v2/p1/cas/jobs/JOB4-7", [("desc", "true"), ("limit", "10")], {"X-Security-Token": "  tmp-token  "}, None),
    ("POST", "/v3/auth/tokens", [], {"Content-Type": "application/json;charset=UTF-8"}, b'{"auth":{"x":1}}'),
    ("DELETE", "/v1/p/x", [("force", "")], {"X-Project-Id": "p"}, None),
]


@pytest.mark.parametrize("method, path, pairs, headers, body", SDK_CASES)
def test_matches_huaweicloudsdkcore_signer(method, path, pairs, headers, body):
    sdk_signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
    sdk_request_module = pytest.importorskip("huaweicloudsdkcore.sdk_request")
    host = "rds.eu-west-101.myhuaweicloud.eu"
    base_headers = dict(headers, **{"X-Sdk-Date": "20260102T030405Z"})

    sdk_request = sdk_request_module.SdkRequest(
        method=method, schema="https", host=host, resource_path=path, query_params=list(pairs),
        header_params=dict(base_headers), body=body)
    sdk_signer.Signer(SimpleNamespace(ak="AKEXAMPLE", sk="SKEXAMPLE/secret")).sign(sdk_request)
    expected = sdk_request.header_params["Authorization"]

    url = "https://%s%s?%s" % (host, quote(path, safe="/~"), signer.canonical_query(pairs))
    ours = signer.Signer("AKEXAMPLE", "SKEXAMPLE/secret").sign(method, url, base_headers, body)
    assert ours["Authorization"] == expected
