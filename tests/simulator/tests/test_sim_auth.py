# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gateway auth: tokens, IAM password flow, SDK-HMAC-SHA256 (verified independently of the collection's signer)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import time

import pytest

from simulator import auth
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api, signed  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

TASKLIST = "/v3/{project_id}/tasklist"
TOKENS = "/v3/auth/tokens"

# The known-good vector from api-notes.md.
VECTOR = {
    "ak": "QTWAOYTTINDUT2QVKYUC",
    "sk": "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    "path": "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
    "query": "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
    "headers": {"content-type": "application/json", "x-sdk-date": "20191115T033655Z", "host": "service.region.example.com"},
    "canonical_hash": "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
    "signature": "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
}
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def sdk_date(epoch):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))


def assert_gateway_401(response, code="APIGW.0301"):
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["error_code"] == code
    assert body["request_id"] == response.headers["X-Request-Id"]
    if code == "APIGW.0301":
        assert body["error_msg"].startswith("Incorrect IAM authentication information: ")
    else:
        assert body["error_msg"] == "The token must be updated."


# ---- the verifier's canonicalization, unit level --------------------------------------
def test_known_good_vector():
    headers = VECTOR["headers"]
    canonical = auth.canonical_request("GET", VECTOR["path"], VECTOR["query"], headers, sorted(headers), EMPTY_SHA256)
    assert ";".join(sorted(headers)) == "content-type;host;x-sdk-date"
    assert hashlib.sha256(canonical.encode()).hexdigest() == VECTOR["canonical_hash"]
    assert auth.sign(VECTOR["sk"], auth.string_to_sign(canonical, "20191115T033655Z")) == VECTOR["signature"]


def test_known_good_vector_through_verify():
    headers = dict(VECTOR["headers"])
    headers["authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type;host;x-sdk-date, Signature=%s" % (
        VECTOR["ak"], VECTOR["signature"])
    now = auth.parse_sdk_date("20191115T033655Z")
    assert auth.verify_aksk("GET", VECTOR["path"], VECTOR["query"], headers, b"", VECTOR["ak"], VECTOR["sk"], now, 900) == VECTOR["ak"]
    with pytest.raises(auth.AuthFailure, match="signature"):
        auth.verify_aksk("GET", VECTOR["path"], "limit=3&" + VECTOR["query"][8:], headers, b"", VECTOR["ak"], VECTOR["sk"], now, 900)


@pytest.mark.parametrize("path,expected", [
    ("/v1/p/vpcs", "/v1/p/vpcs/"),
    ("/v1/p/vpcs/", "/v1/p/vpcs/"),
    ("/v1/p/a%20b", "/v1/p/a%20b/"),
    ("/v1/p/a b~c", "/v1/p/a%20b~c/"),
    ("/v1/p/x%2Fy", "/v1/p/x/y/"),      # unquote first, then split on '/'
])
def test_canonical_uri(path, expected):
    assert auth.canonical_uri(path) == expected


@pytest.mark.parametrize("query,expected", [
    ("", ""),
    ("b=2&a=1", "a=1&b=2"),
    ("a=2&a=1", "a=1&a=2"),
    ("name=Create+Instance", "name=Create%20Instance"),
    ("t=2026-01-01T00%3A00%3A00%2B0800", "t=2026-01-01T00%3A00%3A00%2B0800"),
    ("flag=", "flag="),
    ("k=a~b", "k=a~b"),
])
def test_canonical_query(query, expected):
    assert auth.canonical_query(query) == expected


# ---- AK/SK over HTTP ---------------------------------------------------------------
def test_signed_request_passes(signed):
    response = signed("GET", "rds", TASKLIST, query=[("limit", 10), ("name", "Create Instance")])
    assert response.status_code == 200, response.text


def test_signed_post_with_body_passes(signed):
    response = signed("POST", "rds", "/v3/{project_id}/instances", body=json.dumps({"name": "rds-signed"}))
    assert response.status_code == 202, response.text


def _replace_query(url, headers, body):
    return url.replace("limit=10", "limit=20"), headers, body


def _replace_body(url, headers, body):
    return url, headers, body.replace(b"rds-signed", b"rds-evil")


def _replace_path(url, headers, body):
    return url.replace("/tasklist", "/jobs"), headers, body


def _drop_date(url, headers, body):
    return url, dict((k, v) for k, v in headers.items() if k != "X-Sdk-Date"), body


def _bad_signature(url, headers, body):
    return url, dict(headers, Authorization=headers["Authorization"][:-4] + "0000"), body


def _other_access_key(url, headers, body):
    return url, dict(headers, Authorization=headers["Authorization"].replace("Access=", "Access=X")), body


def _garbled_header(url, headers, body):
    return url, dict(headers, Authorization="SDK-HMAC-SHA256 nonsense"), body


@pytest.mark.parametrize("method,path,query,body,tamper", [
    ("GET", TASKLIST, [("limit", 10)], "", _replace_query),
    ("POST", "/v3/{project_id}/instances", [], json.dumps({"name": "rds-signed"}), _replace_body),
    ("GET", TASKLIST, [("limit", 10)], "", _replace_path),
    ("GET", TASKLIST, [], "", _drop_date),
    ("GET", TASKLIST, [], "", _bad_signature),
    ("GET", TASKLIST, [], "", _other_access_key),
    ("GET", TASKLIST, [], "", _garbled_header),
])
def test_tampered_request_is_rejected(signed, method, path, query, body, tamper):
    assert_gateway_401(signed(method, "rds", path, query=query, body=body, tamper=tamper))


@pytest.mark.parametrize("skew,ok", [(-14 * 60, True), (14 * 60, True), (-16 * 60, False), (16 * 60, False)])
def test_sdk_date_skew(sim, signed, sim_clock, skew, ok):
    response = signed("GET", "rds", TASKLIST, headers={"X-Sdk-Date": sdk_date(sim_clock.time() + skew)})
    if ok:
        assert response.status_code == 200, response.text
    else:
        assert_gateway_401(response)


def test_temporary_access_key_needs_security_token(sim, signed):
    assert_gateway_401(signed("GET", "rds", TASKLIST, headers={"X-Security-Token": "not-configured"}))
    sim.configure(temporary_ak=True)
    token = sim.credentials["security_token"]
    assert token
    assert_gateway_401(signed("GET", "rds", TASKLIST))
    assert_gateway_401(signed("GET", "rds", TASKLIST, headers={"X-Security-Token": token + "x"}))
    assert signed("GET", "rds", TASKLIST, headers={"X-Security-Token": token}).status_code == 200


def test_project_id_header_must_match(sim, signed):
    assert signed("GET", "rds", TASKLIST, headers={"X-Project-Id": sim.project_id}).status_code == 200
    response = signed("GET", "rds", TASKLIST, headers={"X-Project-Id": "0" * 32})
    assert response.status_code == 403 and response.json()["error_code"] == "APIGW.0302"


# ---- tokens ------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"X-Auth-Token": "MIIunknown"}, {"Authorization": "Bearer abc"}])
def test_missing_or_unknown_credentials(api, headers):
    assert_gateway_401(api.get("rds", TASKLIST, headers=headers, token=False))


def test_expire_tokens(sim, api):
    assert api.get("rds", TASKLIST).status_code == 200
    sim.expire_tokens()
    assert_gateway_401(api.get("rds", TASKLIST), code="APIGW.0307")


def test_wrong_project_in_path(api, sim):
    response = api.get("rds", "/v3/%s/tasklist" % ("f" * 32))
    assert response.status_code == 403
    assert response.json()["error_code"] == "APIGW.0302"


def test_unknown_api_is_404(api):
    response = api.get("rds", "/v3/{project_id}/nothing")
    assert response.status_code == 404 and response.json()["error_code"] == "APIGW.0101"


# ---- IAM password flow ------------------------------------------------------------
def password_body(creds, password=None, project=None):
    return {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "domain": {"name": creds["domain_name"]}, "name": creds["user_name"], "password": password or creds["password"]}}},
        "scope": {"project": project or {"name": creds["region"]}},
    }}


@pytest.mark.parametrize("project_by", ["name", "id"])
def test_iam_password_token(sim, api, sim_clock, project_by):
    creds = sim.credentials
    sim.configure(token_ttl=60)
    project = {"name": sim.region} if project_by == "name" else {"id": sim.project_id}
    response = api.post("iam", TOKENS, json_body=password_body(creds, project=project), token=False)
    assert response.status_code == 201, response.text
    token = response.headers["X-Subject-Token"]
    body = response.json()["token"]
    assert body["project"]["id"] == sim.project_id
    assert body["expires_at"] == time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(sim_clock.time() + 60))
    assert api.get("rds", TASKLIST, headers={"X-Auth-Token": token}, token=False).status_code == 200
    sim_clock.advance(60)
    assert_gateway_401(api.get("rds", TASKLIST, headers={"X-Auth-Token": token}, token=False), code="APIGW.0307")


def test_iam_tokens_issued_after_expire_tokens_work(sim, api):
    sim.expire_tokens()
    token = api.post("iam", TOKENS, json_body=password_body(sim.credentials), token=False).headers["X-Subject-Token"]
    assert api.get("rds", TASKLIST, headers={"X-Auth-Token": token}, token=False).status_code == 200


@pytest.mark.parametrize("mutate,status", [
    (lambda body: body["auth"]["identity"]["password"]["user"].update(password="wrong"), 401),
    (lambda body: body["auth"]["identity"]["password"]["user"].update(name="someone"), 401),
    (lambda body: body["auth"]["identity"]["password"]["user"]["domain"].update(name="other"), 401),
    (lambda body: body["auth"]["scope"].update(project={"name": "eu-west-101"}), 400),
    (lambda body: body["auth"].pop("scope"), 400),
    (lambda body: body["auth"]["identity"].update(methods=["token"]), 400),
])
def test_iam_rejections(sim, api, mutate, status):
    body = password_body(sim.credentials)
    mutate(body)
    response = api.post("iam", TOKENS, json_body=body, token=False)
    assert response.status_code == status
    assert "X-Subject-Token" not in response.headers
    payload = response.json()
    assert payload["error"]["code"] == status and payload["error_code"].startswith("IAM.")
    assert sim.credentials["password"] not in response.text
