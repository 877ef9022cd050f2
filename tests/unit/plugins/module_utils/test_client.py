# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure unit tests of the client's request path: a scripted fake session stands in for the network."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import client as client_mod
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, ContractError, InvalidInput, TaskGateError
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import endpoint_entry, service_entry

from client_fakes import CA_PEM, EXPIRED, PASSWORD_AUTH, PATH, cert_refused, iam_token, make_client, ok, reply


@pytest.fixture(autouse=True)
def _empty_token_cache():
    client_mod.clear_token_cache()
    yield
    client_mod.clear_token_cache()


# ---- endpoints and URLs --------------------------------------------------------------------------

@pytest.mark.parametrize("params, service, expected", [
    ({"region": "ap-southeast-1"}, "geminidb", "https://gaussdb-nosql.ap-southeast-1.myhuaweicloud.com"),
    ({"region": "ap-southeast-1"}, "rds", "https://rds.ap-southeast-1.myhuaweicloud.com"),
    ({"region": "eu-west-101"}, "ddm", "https://ddm.eu-west-101.myhuaweicloud.eu"),
    ({"region": "eu-west-101"}, "servicestage", "https://servicestage.eu-west-101.myhuaweicloud.eu"),
    ({"region": "eu-west-101", "cloud": "myhuaweicloud.com"}, "iam", "https://iam.eu-west-101.myhuaweicloud.com"),
    ({"region": "cn-north-4", "cloud": "example.cloud"}, "rds", "https://rds.cn-north-4.example.cloud"),
    ({"region": "r1", "endpoints": {"rds": "http://127.0.0.1:8080/rds/"}}, "rds", "http://127.0.0.1:8080/rds"),
    ({"region": "r1", "endpoints": {"rds": "http://127.0.0.1:8080/rds/"}}, "ddm", "https://ddm.r1.myhuaweicloud.com"),
    ({"region": None, "endpoints": {"ddm": "http://127.0.0.1:9/ddm"}}, "ddm", "http://127.0.0.1:9/ddm"),
])
def test_endpoint(fake_clock, params, service, expected):
    client, _session, _clock = make_client(fake_clock, [], **params)
    assert client.endpoint(endpoint_entry(service)) == expected


def test_unknown_service_and_missing_region(fake_clock):
    client, session, _clock = make_client(fake_clock, [], region=None)
    with pytest.raises(InvalidInput) as info:
        client.endpoint(service_entry("vpc"))
    assert "geminidb" in str(info.value) and info.value.option == "service"
    with pytest.raises(InvalidInput) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert info.value.option == "region" and "HW_REGION_NAME" in str(info.value)
    assert session.calls == []


@pytest.mark.parametrize("endpoint, path, query, expected", [
    ("http://127.0.0.1:8080/rds", PATH, {"limit": 50, "offset": None},
     "http://127.0.0.1:8080/rds/v3/proj1/tasklist?limit=50"),
    ("http://127.0.0.1:8080/rds/", PATH, None, "http://127.0.0.1:8080/rds/v3/proj1/tasklist"),
    ("http://127.0.0.1:8080", "v3/{project_id}/jobs", {"id": ["b", "a"], "x": [None]},
     "http://127.0.0.1:8080/v3/proj1/jobs?id=a&id=b"),
    ("http://127.0.0.1:8080/p", "/v3/{project_id}/jobs/a b\u00e9", {"name": "x y~", "flag": True},
     "http://127.0.0.1:8080/p/v3/proj1/jobs/a%20b%C3%A9?flag=true&name=x%20y~"),
    ("http://127.0.0.1:8080/p", "/v2/{project_id}/cas/jobs/J1", [("limit", 2), ("desc", "true")],
     "http://127.0.0.1:8080/p/v2/proj1/cas/jobs/J1?desc=true&limit=2"),
])
def test_url_building(fake_clock, endpoint, path, query, expected):
    client, session, _clock = make_client(fake_clock, [ok()], endpoints={"rds": endpoint})
    client.request(service_entry("rds"), "GET", path, query=query)
    assert session.calls[0].url == expected


@pytest.mark.parametrize("job_id, segment", [
    ("x/y", "x%2Fy"),            # one segment, not two (another API)
    ("a/../b", "a%2F..%2Fb"),
    ("..", "%2E%2E"),            # never a dot segment
    (".", "%2E"),
    ("a b%", "a%20b%25"),        # encoded once
    ("{job_id}", "%7Bjob_id%7D"),
])
def test_path_params_fill_one_segment_each(fake_clock, job_id, segment):
    # Issue 12 item 7: an id with '/' stays one path segment, percent-encoded once.
    client, session, _clock = make_client(fake_clock, [ok()], endpoints={"ddm": "http://127.0.0.1:8080/ddm"})
    client.request(service_entry("ddm"), "GET", "/v3/{project_id}/jobs/{job_id}", path_params={"job_id": job_id})
    assert session.calls[0].url == "http://127.0.0.1:8080/ddm/v3/proj1/jobs/" + segment


def test_path_params_fill_only_whole_segments_and_errors_show_the_template(fake_clock):
    client, session, _clock = make_client(fake_clock, [reply(404, {"errCode": "DDM.0602", "externalMessage": "no job"})],
                                          endpoints={"ddm": "http://127.0.0.1:8080/ddm"})
    with pytest.raises(ApiError) as info:
        client.request(service_entry("ddm"), "GET", "/v3/{project_id}/jobs/{job_id}/x{job_id}", path_params={"job_id": "a/b", "other": "z"})
    assert session.calls[0].url == "http://127.0.0.1:8080/ddm/v3/proj1/jobs/a%2Fb/x%7Bjob_id%7D"
    assert info.value.path == "/v3/{project_id}/jobs/{job_id}/x{job_id}" and "a/b" not in str(info.value)


def test_missing_project_id_and_region_is_invalid_input_before_any_request(fake_clock):
    client, session, _clock = make_client(fake_clock, [], project_id=None, region=None,
                                          endpoints={"rds": "https://rds.example"})
    with pytest.raises(InvalidInput) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert info.value.option == "region" and "HW_REGION_NAME" in str(info.value) and "HW_PROJECT_ID" in str(info.value)
    assert session.calls == []


def test_path_without_project_needs_no_project(fake_clock):
    client, session, _clock = make_client(fake_clock, [ok()], project_id=None)
    client.request(endpoint_entry("iam"), "GET", "/v3/projects")
    assert session.calls[0].url == "https://iam.eu-west-101.myhuaweicloud.eu/v3/projects"


# ---- success responses ---------------------------------------------------------------------------

def test_success_response_and_request_options(fake_clock):
    client, session, _clock = make_client(fake_clock, [ok({"jobs": [1]}, request_id="r-9")], request_timeout=12, validate_certs=False)
    resp = client.request(service_entry("geminidb"), "GET", "/v3/{project_id}/jobs", headers={"X-Language": "en-us"})
    assert (resp.status, resp.json, resp.request_id) == (200, {"jobs": [1]}, "r-9")
    call = session.calls[0]
    assert call.timeout == 12 and call.verify is False and call.allow_redirects is False
    assert call.headers["X-Auth-Token"] == "TOKEN-static-123" and call.headers["X-Language"] == "en-us"
    assert client.stats == {"requests": 1, "retries": 0, "throttled": 0, "auth_refreshes": 0}


@pytest.fixture
def ca_bundle(tmp_path):
    path = tmp_path / "ca.pem"
    path.write_text(CA_PEM)
    return str(path)


@pytest.mark.parametrize("params, expected", [
    ({}, True),
    ({"validate_certs": True}, True),
    ({"validate_certs": False}, False),
    ({"cacert_file": "CA"}, "CA"),
    ({"cacert_file": "CA", "validate_certs": False}, False),   # verification off wins, as in Terraform
])
def test_verify_follows_validate_certs_and_cacert_file(fake_clock, ca_bundle, params, expected):
    params = dict((name, ca_bundle if value == "CA" else value) for name, value in params.items())
    client, session, _clock = make_client(fake_clock, [ok()], **params)
    client.request(service_entry("rds"), "GET", PATH)
    assert session.calls[0].verify == (ca_bundle if expected == "CA" else expected)


@pytest.mark.parametrize("code, text, advice, not_advised", [
    (18, "self-signed certificate", "for a self-signed certificate, the certificate itself", "cannot"),
    (20, "unable to get local issuer certificate", "trust its CA with cacert_file or OS_CACERT", "cannot"),
    (62, "Hostname mismatch, certificate is not valid for 'rds.example'.", "cannot fix a name mismatch", "trust its CA"),
    (10, "certificate has expired", "fix the clock of this host", "trust its CA"),
    (9, "certificate is not yet valid", "fix the clock of this host", "trust its CA"),
    (26, "unsuitable certificate purpose", "give the CA bundle that verifies it", "cannot"),
])
def test_certificate_error_says_why_and_the_way_out(fake_clock, code, text, advice, not_advised):
    client, session, _clock = make_client(fake_clock, [cert_refused(code, text)], max_retries=3)
    with pytest.raises(ApiError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    err, message = info.value, str(info.value)
    assert type(err).__name__ == "CertificateError" and len(session.calls) == 1
    host = "rds.eu-west-101.myhuaweicloud.eu"
    assert message.startswith("rds GET %s failed: TLS certificate of %s rejected: %s;" % (PATH, host, text.rstrip(".")))
    assert advice in message and not_advised not in message
    assert "validate_certs: false or HW_INSECURE=true" in message and "not retried" in message
    assert (err.host, err.reason) == (host, text.rstrip("."))


def test_certificate_error_with_a_cacert_file_points_at_that_file(fake_clock, ca_bundle):
    client, _session, _clock = make_client(fake_clock, [cert_refused(20, "unable to get local issuer certificate")],
                                           cacert_file=ca_bundle)
    with pytest.raises(ApiError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert "no CA in cacert_file %s signed it" % ca_bundle in str(info.value)


def test_body_is_compact_json_with_content_type(fake_clock):
    client, session, _clock = make_client(fake_clock, [reply(202, {"job_id": "j"})])
    resp = client.request(service_entry("rds"), "POST", "/v3/{project_id}/instances", body={"b": 1, "a": [1, 2]})
    assert resp.json == {"job_id": "j"}
    assert session.calls[0].data == b'{"a":[1,2],"b":1}'
    assert session.calls[0].headers["Content-Type"].startswith("application/json")


def test_empty_success_body_gives_none_and_body_request_id_is_used(fake_clock):
    client, _session, _clock = make_client(fake_clock, [reply(204, text=""), reply(200, {"request_id": "in-body"})])
    assert client.request(service_entry("rds"), "GET", PATH).json is None
    assert client.request(service_entry("rds"), "GET", PATH).request_id == "in-body"


def test_non_json_success_body_is_contract_error(fake_clock):
    client, _session, _clock = make_client(fake_clock, [reply(200, text="<html>maintenance</html>", headers={"X-Request-Id": "r1"})])
    with pytest.raises(ContractError) as info:
        client.request(service_entry("ddm"), "GET", "/v3/{project_id}/jobs/j1")
    err = info.value
    assert (err.status, err.field, err.request_id) == (200, "body", "r1")
    assert str(err) == "ddm GET /v3/{project_id}/jobs/j1 failed: HTTP 200 response body is not JSON: maintenance (request id r1)"


def test_missing_requests_library_is_reported(monkeypatch):
    monkeypatch.setattr(client_mod, "HAS_REQUESTS", False)
    monkeypatch.setattr(client_mod, "REQUESTS_IMPORT_ERROR", "ImportError: No module named requests")
    with pytest.raises(TaskGateError) as info:
        Client(ClientConfig.from_params({"region": "r", "auth_token": "t"}))
    assert "requests" in str(info.value)


def test_client_owns_a_session_and_closes_it(fake_clock):
    with make_client(fake_clock, [])[0] as client:
        session = client.session
    assert session.closed
    real = Client(ClientConfig.from_params({"region": "r", "auth_token": "t"}))
    assert isinstance(real.session, requests.Session)
    real.close()


# ---- no secret anywhere ----------------------------------------------------------------------------

SECRET_VALUES = ["SK-super-secret", "SEC-TOKEN-secret", "STATIC-TOKEN-secret", "Pa55-word!", "IAM-TOKEN-secret"]


def _echo(status):
    # A misbehaving server that echoes every secret back.
    return reply(status, {"error_code": "X.1", "error_msg": "got " + " ".join(SECRET_VALUES)})


# Each scenario returns its client and the secrets that client holds (and so must never show).
def _scenario_static_token(clock, script):
    return make_client(clock, script, auth_token="STATIC-TOKEN-secret", max_retries=1)[0], ["STATIC-TOKEN-secret"]


def _scenario_aksk(clock, script):
    client = make_client(clock, script, auth_token=None, access_key="AK", secret_key="SK-super-secret",
                         security_token="SEC-TOKEN-secret", max_retries=1)[0]
    return client, ["SK-super-secret", "SEC-TOKEN-secret"]


def _scenario_password(clock, script):
    client = make_client(clock, [iam_token("IAM-TOKEN-secret")] + script, max_retries=1, **PASSWORD_AUTH)[0]
    return client, ["Pa55-word!", "IAM-TOKEN-secret"]


SECRET_SCENARIOS = [
    ("static-expired", _scenario_static_token, [reply(401, EXPIRED)]),
    ("static-echo-400", _scenario_static_token, [_echo(400)]),
    ("static-echo-429", _scenario_static_token, [_echo(429), _echo(429)]),
    ("aksk-401", _scenario_aksk, [_echo(401)]),
    ("aksk-echo-404", _scenario_aksk, [_echo(404)]),
    ("aksk-html-500", _scenario_aksk, [reply(500, text="<p>%s</p>" % " ".join(SECRET_VALUES))] * 2),
    ("aksk-connection", _scenario_aksk, [requests.exceptions.ConnectionError("boom SK-super-secret SEC-TOKEN-secret")] * 2),
    ("aksk-not-json", _scenario_aksk, [reply(200, text="oops SK-super-secret")]),
    ("password-expired-twice", _scenario_password, [reply(401, EXPIRED), iam_token("IAM-TOKEN-secret"), reply(401, EXPIRED)]),
    ("password-echo-403", _scenario_password, [_echo(403)]),
    ("password-timeout", _scenario_password, [requests.exceptions.ReadTimeout("IAM-TOKEN-secret Pa55-word!")] * 2),
]


@pytest.mark.parametrize("name, scenario, script", SECRET_SCENARIOS, ids=[case[0] for case in SECRET_SCENARIOS])
def test_no_secret_in_any_error(fake_clock, name, scenario, script):
    client, secrets = scenario(fake_clock, script)
    with pytest.raises(TaskGateError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    err = info.value
    rendered = [str(err), repr(err), json.dumps(err.to_dict()), repr(client), repr(client.config)]
    for text in rendered:
        for secret in secrets:
            assert secret not in text, (name, secret)


def test_the_session_keeps_a_connection_alive_for_every_request_in_flight():
    """requests keeps 10 connections per host: the requests in flight beyond them would each open a new
    connection (a TLS handshake, several round trips) and close it after the answer."""
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import MAX_IN_FLIGHT
    client = Client(ClientConfig.from_params({"region": "eu-west-101", "project_id": "proj1", "auth_token": "TOKEN-static-123"}))
    try:
        for scheme in ("https://", "http://"):
            assert client.session.get_adapter(scheme + "ecs.eu-west-101.example")._pool_maxsize >= MAX_IN_FLIGHT
    finally:
        client.close()
