# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure unit tests of the client: a scripted fake session stands in for the network."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import json
from email.utils import formatdate
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import client as client_mod
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    ContractError,
    InvalidInput,
    NotFound,
    TaskGateError,
    Throttled,
    WaitTimeout,
)

WALL_EPOCH = calendar.timegm((2026, 3, 4, 5, 6, 7, 0, 0, 0))
PATH = "/v3/{project_id}/tasklist"


class FakeClock:
    """Monotonic clock + sleep that only move when told to; records every sleep."""

    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class FakeSession:
    """Plays back a script of responses/exceptions and records every call."""

    def __init__(self, script, clock=None, elapsed=0.0):
        self.script = list(script)
        self.calls = []
        self.clock = clock
        self.elapsed = elapsed
        self.closed = False

    def request(self, method, url, headers=None, data=None, timeout=None, verify=None, allow_redirects=None):
        self.calls.append(SimpleNamespace(method=method, url=url, headers=dict(headers or {}), data=data, timeout=timeout,
                                          verify=verify, allow_redirects=allow_redirects))
        if self.clock is not None:
            self.clock.now += self.elapsed
        assert self.script, "the client sent more requests than the test scripted"
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self):
        self.closed = True


def reply(status, body=None, headers=None, text=None):
    response = requests.Response()
    response.status_code = status
    if text is None:
        text = "" if body is None else json.dumps(body)
    response._content = text.encode("utf-8")
    response.headers = CaseInsensitiveDict(headers or {})
    return response


def ok(body=None, request_id="rid-ok"):
    return reply(200, {"tasks": [], "total_count": 0} if body is None else body, {"X-Request-Id": request_id})


def throttled(retry_after=None):
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return reply(429, {"error_code": "APIGW.0308", "error_msg": "policy user over ratelimit"}, headers)


def unavailable(status=503):
    return reply(status, {"error_code": "SYS.%d" % status, "error_msg": "busy"})


def refused():
    """A connect failure: nothing reached the server."""
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/x", NewConnectionError(None, "Connection refused")))


def dropped():
    """The connection broke after the request went out."""
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")))


def make_client(script, rng=lambda: 0.5, elapsed=0.0, **params):
    values = {"region": "eu-west-101", "project_id": "proj1", "auth_token": "TOKEN-static-123"}
    values.update(params)
    for key in [key for key, value in values.items() if value is None]:
        del values[key]
    clock = FakeClock()
    session = FakeSession(script, clock=clock, elapsed=elapsed)
    client = Client(ClientConfig.from_params(values), clock=clock, sleep=clock.sleep, rng=rng, session=session,
                    wall_clock=lambda: WALL_EPOCH)
    return client, session, clock


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
def test_endpoint(params, service, expected):
    client, _session, _clock = make_client([], **params)
    assert client.endpoint(service) == expected


def test_unknown_service_and_missing_region():
    client, session, _clock = make_client([], region=None)
    with pytest.raises(InvalidInput) as info:
        client.endpoint("vpc")
    assert "geminidb" in str(info.value) and info.value.option == "service"
    with pytest.raises(InvalidInput) as info:
        client.request("rds", "GET", PATH)
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
def test_url_building(endpoint, path, query, expected):
    client, session, _clock = make_client([ok()], endpoints={"rds": endpoint})
    client.request("rds", "GET", path, query=query)
    assert session.calls[0].url == expected


def test_missing_project_id_is_invalid_input_before_any_request():
    client, session, _clock = make_client([], project_id=None)
    with pytest.raises(InvalidInput) as info:
        client.request("rds", "GET", PATH)
    assert info.value.option == "project_id" and "HW_PROJECT_ID" in str(info.value)
    assert session.calls == []


def test_path_without_project_needs_no_project():
    client, session, _clock = make_client([ok()], project_id=None)
    client.request("iam", "GET", "/v3/projects")
    assert session.calls[0].url == "https://iam.eu-west-101.myhuaweicloud.eu/v3/projects"


# ---- success responses ---------------------------------------------------------------------------

def test_success_response_and_request_options():
    client, session, _clock = make_client([ok({"jobs": [1]}, request_id="r-9")], request_timeout=12, validate_certs=False)
    resp = client.request("geminidb", "GET", "/v3/{project_id}/jobs", headers={"X-Language": "en-us"})
    assert (resp.status, resp.json, resp.request_id) == (200, {"jobs": [1]}, "r-9")
    call = session.calls[0]
    assert call.timeout == 12 and call.verify is False and call.allow_redirects is False
    assert call.headers["X-Auth-Token"] == "TOKEN-static-123" and call.headers["X-Language"] == "en-us"
    assert client.stats == {"requests": 1, "retries": 0, "throttled": 0, "auth_refreshes": 0}


def test_body_is_compact_json_with_content_type():
    client, session, _clock = make_client([reply(202, {"job_id": "j"})])
    resp = client.request("rds", "POST", "/v3/{project_id}/instances", body={"b": 1, "a": [1, 2]})
    assert resp.json == {"job_id": "j"}
    assert session.calls[0].data == b'{"a":[1,2],"b":1}'
    assert session.calls[0].headers["Content-Type"].startswith("application/json")


def test_empty_success_body_gives_none_and_body_request_id_is_used():
    client, _session, _clock = make_client([reply(204, text=""), reply(200, {"request_id": "in-body"})])
    assert client.request("rds", "GET", PATH).json is None
    assert client.request("rds", "GET", PATH).request_id == "in-body"


def test_non_json_success_body_is_contract_error():
    client, _session, _clock = make_client([reply(200, text="<html>maintenance</html>", headers={"X-Request-Id": "r1"})])
    with pytest.raises(ContractError) as info:
        client.request("ddm", "GET", "/v3/{project_id}/jobs/j1")
    err = info.value
    assert (err.status, err.field, err.request_id) == (200, "body", "r1")
    assert str(err) == "ddm GET /v3/{project_id}/jobs/j1 failed: HTTP 200 response body is not JSON: maintenance (request id r1)"


# ---- retry policy --------------------------------------------------------------------------------

def test_429_without_retry_after_backs_off_with_full_jitter():
    client, session, clock = make_client([throttled(), throttled(), throttled(), ok()], rng=lambda: 0.5)
    assert client.request("rds", "GET", PATH).status == 200
    assert clock.sleeps == [0.25, 0.5, 1.0]
    assert client.stats == {"requests": 4, "retries": 3, "throttled": 3, "auth_refreshes": 0}
    assert len(session.calls) == 4


def test_429_retry_after_seconds_is_honoured():
    client, _session, clock = make_client([throttled("7"), ok()])
    client.request("rds", "GET", PATH)
    assert clock.sleeps == [7.0]


def test_429_retry_after_http_date_is_honoured():
    client, _session, clock = make_client([throttled(formatdate(WALL_EPOCH + 12, usegmt=True)), ok()])
    client.request("rds", "GET", PATH)
    assert clock.sleeps == [12.0]


def test_retry_after_in_the_past_retries_at_once_and_garbage_falls_back_to_backoff():
    client, _session, clock = make_client([throttled(formatdate(WALL_EPOCH - 60, usegmt=True)), throttled("soon"), ok()],
                                          rng=lambda: 1.0)
    client.request("rds", "GET", PATH)
    assert clock.sleeps == [0.0, 1.0]


def test_retry_after_beyond_the_limit_is_not_waited_for():
    client, session, clock = make_client([throttled("3600")])
    with pytest.raises(Throttled) as info:
        client.request("rds", "GET", PATH)
    assert clock.sleeps == [] and len(session.calls) == 1
    assert "3600 s" in str(info.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_then_success(status):
    client, session, clock = make_client([unavailable(status), ok()])
    assert client.request("rds", "GET", PATH).status == 200
    assert len(session.calls) == 2 and len(clock.sleeps) == 1
    assert client.stats["retries"] == 1 and client.stats["throttled"] == 0


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_max_retries_bounds_attempts(max_retries):
    client, session, clock = make_client([unavailable()] * (max_retries + 1), max_retries=max_retries)
    with pytest.raises(ApiError) as info:
        client.request("rds", "GET", PATH)
    assert type(info.value).__name__ == "ApiError" and info.value.status == 503
    assert len(session.calls) == max_retries + 1 and len(clock.sleeps) == max_retries
    assert "retry budget ran out after %d retries (max_retries=%d)" % (max_retries, max_retries) in str(info.value)


def test_throttled_after_budget_is_throttled_error():
    client, _session, _clock = make_client([throttled()] * 3, max_retries=2)
    with pytest.raises(Throttled) as info:
        client.request("rds", "GET", PATH)
    assert info.value.error_code == "APIGW.0308"
    assert client.stats["throttled"] == 3


def test_deadline_bounds_sleeps_and_reports_it():
    # rng 1.0: delays 0.5, 1, 2, 4, 8 ... ; deadline 5 s after start stops before the 4 s sleep.
    client, session, clock = make_client([unavailable()] * 10, rng=lambda: 1.0, max_retries=10)
    start = clock.now
    with pytest.raises(ApiError) as info:
        client.request("rds", "GET", PATH, deadline=start + 5.0)
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert clock.now <= start + 5.0
    assert len(session.calls) == 4
    assert "deadline ran out after 3 retries" in str(info.value)


def test_per_attempt_timeout_is_capped_by_the_deadline():
    client, session, clock = make_client([unavailable(), ok()], rng=lambda: 1.0, request_timeout=30, elapsed=2.0)
    client.request("rds", "GET", PATH, deadline=clock.now + 10.0)
    assert session.calls[0].timeout == 10.0
    assert session.calls[1].timeout == pytest.approx(10.0 - 2.0 - 0.5)


def test_deadline_already_passed_sends_nothing():
    client, session, clock = make_client([])
    with pytest.raises(WaitTimeout):
        client.request("rds", "GET", PATH, deadline=clock.now)
    assert session.calls == []


def test_slow_attempt_past_the_deadline_raises_the_last_error():
    client, session, clock = make_client([throttled("0"), ok()], elapsed=6.0)
    with pytest.raises(Throttled) as info:
        client.request("rds", "GET", PATH, deadline=clock.now + 5.0)
    assert len(session.calls) == 1 and "deadline" in str(info.value)


@pytest.mark.parametrize("status, cls", [(400, ApiError), (401, AuthError), (403, AuthError), (404, NotFound),
                                         (409, ApiError), (422, ApiError)])
def test_other_4xx_are_never_retried(status, cls):
    client, session, clock = make_client([reply(status, {"error_code": "X.%d" % status, "error_msg": "no"})])
    with pytest.raises(cls) as info:
        client.request("rds", "GET", PATH)
    assert type(info.value).__name__ == cls.__name__ and info.value.status == status
    assert len(session.calls) == 1 and clock.sleeps == []


def test_connection_errors_and_timeouts_are_retried_for_get():
    script = [refused(), requests.exceptions.ReadTimeout("read timed out"), requests.exceptions.ChunkedEncodingError("x"),
              dropped(), ok()]
    client, session, _clock = make_client(script)
    assert client.request("rds", "GET", PATH).status == 200
    assert len(session.calls) == 5 and client.stats["retries"] == 4


def test_connection_errors_exhausted_give_api_error_without_status():
    client, _session, _clock = make_client([refused()] * 2, max_retries=1)
    with pytest.raises(ApiError) as info:
        client.request("rds", "GET", PATH)
    err = info.value
    assert type(err).__name__ == "ApiError" and err.status is None
    assert str(err).startswith("rds GET /v3/{project_id}/tasklist failed: ConnectionError:")
    assert "retry budget" in str(err)


@pytest.mark.parametrize("method, script, attempts", [
    ("POST", [throttled(), ok()], 2),
    ("POST", [refused(), ok()], 2),
    ("POST", [requests.exceptions.ConnectTimeout("connect timed out"), ok()], 2),
    ("POST", [unavailable(503)], 1),
    ("POST", [unavailable(500)], 1),
    ("POST", [requests.exceptions.ReadTimeout("read timed out")], 1),
    ("POST", [dropped()], 1),
    ("DELETE", [unavailable(502)], 1),
    ("PUT", [requests.exceptions.ChunkedEncodingError("x")], 1),
    ("GET", [unavailable(503), ok()], 2),
])
def test_non_get_retries_only_429_and_unsent_requests(method, script, attempts):
    client, session, _clock = make_client(script)
    succeeds = not isinstance(script[-1], BaseException) and script[-1].status_code == 200
    if succeeds:
        client.request("rds", method, PATH, body={"x": 1})
    else:
        with pytest.raises(ApiError):
            client.request("rds", method, PATH, body={"x": 1})
    assert len(session.calls) == attempts


@pytest.mark.parametrize("method, expected", [("GET", True), ("get", True), ("HEAD", True), ("POST", False),
                                              ("PUT", False), ("DELETE", False), ("PATCH", False)])
def test_idempotent_decision(method, expected):
    assert Client.idempotent(method) is expected


@pytest.mark.parametrize("rng_value", [0.0, 0.3, 0.999999])
def test_jitter_stays_in_range(rng_value):
    caps = [0.5, 1, 2, 4, 8, 16, 20, 20, 20]
    for attempt, cap in enumerate(caps):
        delay = client_mod.backoff_delay(attempt, lambda: rng_value)
        assert 0 <= delay < cap or (rng_value == 0 and delay == 0)
        assert delay == pytest.approx(rng_value * cap)


def test_jitter_uses_the_injected_rng_per_retry():
    values = iter([0.1, 0.9, 0.4])
    client, _session, clock = make_client([unavailable()] * 3 + [ok()], rng=lambda: next(values))
    client.request("rds", "GET", PATH)
    assert clock.sleeps == pytest.approx([0.05, 0.9, 0.8])


# ---- AK/SK ---------------------------------------------------------------------------------------

def test_aksk_signs_every_attempt_like_the_sdk():
    sdk_signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
    sdk_request_module = pytest.importorskip("huaweicloudsdkcore.sdk_request")
    client, session, _clock = make_client([throttled("1"), ok()], auth_token=None, access_key="AKTEST",
                                          secret_key="SK/secret+value", security_token="SEC-TOKEN-1")
    client.request("rds", "GET", PATH, query={"limit": 10, "name": "a b"})
    assert len(session.calls) == 2
    for call in session.calls:
        headers = call.headers
        assert headers["X-Sdk-Date"] == "20260304T050607Z"
        assert headers["X-Project-Id"] == "proj1"
        assert headers["X-Security-Token"] == "SEC-TOKEN-1"
        assert headers["Host"] == "rds.eu-west-101.myhuaweicloud.eu"
        assert "X-Auth-Token" not in headers
        parts = urlsplit(call.url)
        replay = dict((key, value) for key, value in headers.items() if key != "Authorization")
        sdk_request = sdk_request_module.SdkRequest(method="GET", schema="https", host=parts.netloc, resource_path=parts.path,
                                                    query_params=[("limit", "10"), ("name", "a b")], header_params=replay)
        sdk_signer.Signer(SimpleNamespace(ak="AKTEST", sk="SK/secret+value")).sign(sdk_request)
        assert headers["Authorization"] == sdk_request.header_params["Authorization"]
        assert "x-security-token" in headers["Authorization"] and "x-project-id" in headers["Authorization"]


def test_aksk_401_is_not_retried_and_warns_about_lockout():
    client, session, _clock = make_client([reply(401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication"})],
                                          auth_token=None, access_key="AK", secret_key="SK")
    with pytest.raises(AuthError) as info:
        client.request("rds", "GET", PATH)
    assert len(session.calls) == 1
    assert "lock" in str(info.value) and "HW_SECRET_KEY" in str(info.value)


# ---- tokens ----------------------------------------------------------------------------------------

EXPIRED = {"error_code": "APIGW.0307", "error_msg": "The token must be updated."}


def test_static_token_expired_asks_to_renew_it():
    client, session, _clock = make_client([reply(401, EXPIRED, {"X-Request-Id": "r401"})])
    with pytest.raises(AuthError) as info:
        client.request("rds", "GET", PATH)
    message = str(info.value)
    assert message.startswith("rds GET /v3/{project_id}/tasklist failed: HTTP 401 APIGW.0307 The token must be updated. (request id r401)")
    assert "HW_AUTH_TOKEN" in message and "expired" in message
    assert len(session.calls) == 1 and client.stats["auth_refreshes"] == 0


PASSWORD_AUTH = {"auth_token": None, "user_name": "alice", "password": "Pa55-word!", "domain_name": "acme"}


def iam_token(token="IAM-TOKEN-1", project_id="learnt-proj", expires_at="2026-03-05T05:06:07.000000Z"):
    return reply(201, {"token": {"expires_at": expires_at, "project": {"id": project_id, "name": "eu-west-101"}}},
                 {"X-Subject-Token": token, "X-Request-Id": "iam-rid"})


def test_password_auth_fetches_token_scoped_to_region_and_learns_project():
    client, session, _clock = make_client([iam_token(), ok()], project_id=None, **PASSWORD_AUTH)
    client.request("rds", "GET", PATH)
    token_call, api_call = session.calls
    assert token_call.method == "POST"
    assert token_call.url == "https://iam.eu-west-101.myhuaweicloud.eu/v3/auth/tokens"
    assert "X-Auth-Token" not in token_call.headers
    assert json.loads(token_call.data) == {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "domain": {"name": "acme"}, "name": "alice", "password": "Pa55-word!"}}},
        "scope": {"project": {"name": "eu-west-101"}}}}
    assert api_call.url == "https://rds.eu-west-101.myhuaweicloud.eu/v3/learnt-proj/tasklist"
    assert api_call.headers["X-Auth-Token"] == "IAM-TOKEN-1"
    assert client.project_id == "learnt-proj"


@pytest.mark.parametrize("params, expected_url", [
    ({"auth_url": "https://iam.example.com"}, "https://iam.example.com/v3/auth/tokens"),
    ({"auth_url": "https://iam.example.com/v3/"}, "https://iam.example.com/v3/auth/tokens"),
    ({"endpoints": {"iam": "http://127.0.0.1:8080/iam"}}, "http://127.0.0.1:8080/iam/v3/auth/tokens"),
    ({"endpoints": {"iam": "http://127.0.0.1:8080/iam"}, "auth_url": "https://iam.x"}, "https://iam.x/v3/auth/tokens"),
])
def test_token_url(params, expected_url):
    client, session, _clock = make_client([iam_token(), ok()], **dict(PASSWORD_AUTH, **params))
    client.request("rds", "GET", PATH)
    assert session.calls[0].url == expected_url
    assert json.loads(session.calls[0].data)["auth"]["scope"] == {"project": {"id": "proj1"}}


def test_token_is_cached_per_process_and_keyed_without_the_password():
    first, first_session, _clock = make_client([iam_token(), ok()], **PASSWORD_AUTH)
    first.request("rds", "GET", PATH)
    second, second_session, _clock = make_client([ok()], **PASSWORD_AUTH)
    second.request("ddm", "GET", PATH)
    assert len(first_session.calls) == 2 and len(second_session.calls) == 1
    assert second_session.calls[0].headers["X-Auth-Token"] == "IAM-TOKEN-1"
    assert "Pa55-word!" not in repr(list(client_mod._TOKEN_CACHE))
    other_password, other_session, _clock = make_client([iam_token("IAM-TOKEN-2"), ok()], **{**PASSWORD_AUTH, "password": "other"})
    other_password.request("rds", "GET", PATH)
    assert other_session.calls[1].headers["X-Auth-Token"] == "IAM-TOKEN-2"


def test_token_near_expiry_is_renewed():
    soon = "2026-03-04T05:08:00.000000Z"  # two minutes after WALL_EPOCH, inside the renewal margin
    client, session, _clock = make_client([iam_token(expires_at=soon), ok(), iam_token("IAM-TOKEN-2"), ok()], **PASSWORD_AUTH)
    client.request("rds", "GET", PATH)
    client.request("rds", "GET", PATH)
    assert [call.method for call in session.calls] == ["POST", "GET", "POST", "GET"]


def test_expired_token_is_refreshed_once():
    client, session, _clock = make_client([iam_token("OLD"), reply(401, EXPIRED), iam_token("NEW"), ok()], **PASSWORD_AUTH)
    assert client.request("rds", "GET", PATH).status == 200
    assert session.calls[3].headers["X-Auth-Token"] == "NEW"
    assert client.stats["auth_refreshes"] == 1
    again, again_session, _clock = make_client([ok()], **PASSWORD_AUTH)
    again.request("rds", "GET", PATH)
    assert again_session.calls[0].headers["X-Auth-Token"] == "NEW"


def test_second_expiry_after_refresh_fails():
    client, session, _clock = make_client([iam_token("OLD"), reply(401, EXPIRED), iam_token("NEW"), reply(401, EXPIRED)],
                                          **PASSWORD_AUTH)
    with pytest.raises(AuthError) as info:
        client.request("rds", "GET", PATH)
    assert "freshly issued" in str(info.value)
    assert len(session.calls) == 4 and client.stats["auth_refreshes"] == 1


def test_iam_rejects_password():
    client, session, _clock = make_client([reply(401, {"error": {"code": 401, "message": "The username or password is wrong."}})],
                                          **PASSWORD_AUTH)
    with pytest.raises(AuthError) as info:
        client.request("rds", "GET", PATH)
    assert str(info.value).startswith("iam POST /v3/auth/tokens failed: HTTP 401")
    assert "HW_USER_PASSWORD" in str(info.value) and len(session.calls) == 1


def test_iam_without_subject_token_is_contract_error():
    client, _session, _clock = make_client([reply(201, {"token": {}})], **PASSWORD_AUTH)
    with pytest.raises(ContractError) as info:
        client.request("rds", "GET", PATH)
    assert info.value.field == "X-Subject-Token"


def test_missing_requests_library_is_reported(monkeypatch):
    monkeypatch.setattr(client_mod, "HAS_REQUESTS", False)
    monkeypatch.setattr(client_mod, "REQUESTS_IMPORT_ERROR", "ImportError: No module named requests")
    with pytest.raises(TaskGateError) as info:
        Client(ClientConfig.from_params({"region": "r", "auth_token": "t"}))
    assert "requests" in str(info.value)


def test_client_owns_a_session_and_closes_it():
    with make_client([])[0] as client:
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
def _scenario_static_token(script):
    return make_client(script, auth_token="STATIC-TOKEN-secret", max_retries=1)[0], ["STATIC-TOKEN-secret"]


def _scenario_aksk(script):
    client = make_client(script, auth_token=None, access_key="AK", secret_key="SK-super-secret",
                         security_token="SEC-TOKEN-secret", max_retries=1)[0]
    return client, ["SK-super-secret", "SEC-TOKEN-secret"]


def _scenario_password(script):
    client = make_client([iam_token("IAM-TOKEN-secret")] + script, max_retries=1, **PASSWORD_AUTH)[0]
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
def test_no_secret_in_any_error(name, scenario, script):
    client, secrets = scenario(script)
    with pytest.raises(TaskGateError) as info:
        client.request("rds", "GET", PATH)
    err = info.value
    rendered = [str(err), repr(err), json.dumps(err.to_dict()), repr(client), repr(client.config)]
    for text in rendered:
        for secret in secrets:
            assert secret not in text, (name, secret)


@pytest.mark.parametrize("params", [
    {"access_key": "AK"},
    {"password": "Pa55-word!"},
    {"user_name": "u", "password": "Pa55-word!"},
    {"endpoints": {"rds": "ftp://x"}, "password": "Pa55-word!", "user_name": "u", "domain_name": "d"},
])
def test_no_secret_in_invalid_input(params):
    with pytest.raises(InvalidInput) as info:
        ClientConfig.from_params(dict(params, region="r"))
    assert "Pa55-word!" not in str(info.value) + json.dumps(info.value.to_dict())
