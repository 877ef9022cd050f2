# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The auth methods (auth.py) through the client: static token, AK/SK signature, IAM password and its cache."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from email.utils import formatdate
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import auth as auth_mod
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import AuthError, ContractError
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

from client_fakes import EXPIRED, PASSWORD_AUTH, PATH, WALL_EPOCH, iam_token, make_client, ok, reply, throttled


@pytest.fixture(autouse=True)
def _empty_token_cache():
    auth_mod.clear_token_cache()
    yield
    auth_mod.clear_token_cache()


# ---- AK/SK ---------------------------------------------------------------------------------------

def test_aksk_signs_every_attempt_like_the_sdk(fake_clock):
    sdk_signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
    sdk_request_module = pytest.importorskip("huaweicloudsdkcore.sdk_request")
    client, session, _clock = make_client(fake_clock, [throttled("1"), ok()], auth_token=None, access_key="AKTEST",
                                          secret_key="SK/secret+value", security_token="SEC-TOKEN-1")
    client.request(service_entry("rds"), "GET", PATH, query={"limit": 10, "name": "a b"})
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


def test_aksk_401_is_not_retried_and_warns_about_lockout(fake_clock):
    client, session, _clock = make_client(fake_clock, [reply(401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication"})],
                                          auth_token=None, access_key="AK", secret_key="SK")
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert len(session.calls) == 1
    assert "lock" in str(info.value) and "HW_SECRET_KEY" in str(info.value)


SIGNATURE_FAIL = {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk signature fail"}


def _aksk_refusal(fake_clock, body, headers=None):
    client, session, _clock = make_client(fake_clock, [reply(401, body, headers)], auth_token=None, access_key="AK",
                                          secret_key="SK")
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert len(session.calls) == 1
    return str(info.value)


@pytest.mark.parametrize("cloud_minus_host, words", [(3600, "60 minutes behind"), (-5400, "90 minutes ahead of")])
def test_aksk_skew_from_the_date_header_when_the_message_has_no_times(fake_clock, cloud_minus_host, words):
    message = _aksk_refusal(fake_clock, SIGNATURE_FAIL, {"Date": formatdate(WALL_EPOCH + cloud_minus_host, usegmt=True)})
    assert "this host's clock is %s the cloud's" % words in message
    assert "past 15 minutes" in message and "NTP" in message and "lock the key" not in message


def test_aksk_refusal_with_a_close_clock_keeps_the_credentials_advice(fake_clock):
    message = _aksk_refusal(fake_clock, SIGNATURE_FAIL, {"Date": formatdate(WALL_EPOCH + 120, usegmt=True)})
    assert "check access_key/secret_key" in message and "clock is" not in message


def test_aksk_signature_expired_without_any_time_still_blames_the_clock(fake_clock):
    body = {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: signature expired"}
    message = _aksk_refusal(fake_clock, body)
    assert "this host's clock is too far from the cloud's" in message and "NTP" in message


def test_the_gateway_times_win_over_the_date_header(fake_clock):
    body = {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk signature "
            "fail, signature time:20260304T050607Z,server time:20260304T053607Z"}
    message = _aksk_refusal(fake_clock, body, {"Date": formatdate(WALL_EPOCH + 7200, usegmt=True)})
    assert "this host's clock is 30 minutes behind the cloud's" in message


@pytest.mark.parametrize("skew, expected", [(3600, "60 minutes behind"), (-61, "1 minute ahead of"), (30, "0 minutes behind"),
                                            (1000, "17 minutes behind")])
def test_describe_skew(skew, expected):
    assert auth_mod.describe_skew(skew) == "this host's clock is %s the cloud's" % expected


# ---- tokens ----------------------------------------------------------------------------------------

def test_static_token_expired_asks_to_renew_it(fake_clock):
    client, session, _clock = make_client(fake_clock, [reply(401, EXPIRED, {"X-Request-Id": "r401"})])
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    message = str(info.value)
    assert message.startswith("rds GET /v3/{project_id}/tasklist failed: HTTP 401 APIGW.0307 The token must be updated. (request id r401)")
    assert "HW_AUTH_TOKEN" in message and "expired" in message
    assert len(session.calls) == 1 and client.stats["auth_refreshes"] == 0


def test_password_auth_fetches_token_scoped_to_region_and_learns_project(fake_clock):
    client, session, _clock = make_client(fake_clock, [iam_token(), ok()], project_id=None, **PASSWORD_AUTH)
    client.request(service_entry("rds"), "GET", PATH)
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
def test_token_url(fake_clock, params, expected_url):
    client, session, _clock = make_client(fake_clock, [iam_token(), ok()], **dict(PASSWORD_AUTH, **params))
    client.request(service_entry("rds"), "GET", PATH)
    assert session.calls[0].url == expected_url
    assert json.loads(session.calls[0].data)["auth"]["scope"] == {"project": {"id": "proj1"}}


def test_token_is_cached_per_process_and_keyed_without_the_password(fake_clock):
    first, first_session, _clock = make_client(fake_clock, [iam_token(), ok()], **PASSWORD_AUTH)
    first.request(service_entry("rds"), "GET", PATH)
    second, second_session, _clock = make_client(fake_clock, [ok()], **PASSWORD_AUTH)
    second.request(service_entry("ddm"), "GET", PATH)
    assert len(first_session.calls) == 2 and len(second_session.calls) == 1
    assert second_session.calls[0].headers["X-Auth-Token"] == "IAM-TOKEN-1"
    assert "Pa55-word!" not in repr(list(auth_mod._TOKEN_CACHE))
    other_password, other_session, _clock = make_client(fake_clock, [iam_token("IAM-TOKEN-2"), ok()], **{**PASSWORD_AUTH, "password": "other"})
    other_password.request(service_entry("rds"), "GET", PATH)
    assert other_session.calls[1].headers["X-Auth-Token"] == "IAM-TOKEN-2"


def test_token_near_expiry_is_renewed(fake_clock):
    soon = "2026-03-04T05:08:00.000000Z"  # two minutes after WALL_EPOCH, inside the renewal margin
    client, session, _clock = make_client(fake_clock, [iam_token(expires_at=soon), ok(), iam_token("IAM-TOKEN-2"), ok()], **PASSWORD_AUTH)
    client.request(service_entry("rds"), "GET", PATH)
    client.request(service_entry("rds"), "GET", PATH)
    assert [call.method for call in session.calls] == ["POST", "GET", "POST", "GET"]


def test_expired_token_is_refreshed_once(fake_clock):
    client, session, _clock = make_client(fake_clock, [iam_token("OLD"), reply(401, EXPIRED), iam_token("NEW"), ok()], **PASSWORD_AUTH)
    assert client.request(service_entry("rds"), "GET", PATH).status == 200
    assert session.calls[3].headers["X-Auth-Token"] == "NEW"
    assert client.stats["auth_refreshes"] == 1
    again, again_session, _clock = make_client(fake_clock, [ok()], **PASSWORD_AUTH)
    again.request(service_entry("rds"), "GET", PATH)
    assert again_session.calls[0].headers["X-Auth-Token"] == "NEW"


def test_second_expiry_after_refresh_fails(fake_clock):
    client, session, _clock = make_client(fake_clock, [iam_token("OLD"), reply(401, EXPIRED), iam_token("NEW"), reply(401, EXPIRED)],
                                          **PASSWORD_AUTH)
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert "freshly issued" in str(info.value)
    assert len(session.calls) == 4 and client.stats["auth_refreshes"] == 1


def test_iam_rejects_password(fake_clock):
    client, session, _clock = make_client(fake_clock, [reply(401, {"error": {"code": 401, "message": "The username or password is wrong."}})],
                                          **PASSWORD_AUTH)
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert str(info.value).startswith("iam POST /v3/auth/tokens failed: HTTP 401")
    assert "HW_USER_PASSWORD" in str(info.value) and len(session.calls) == 1


def test_iam_without_subject_token_is_contract_error(fake_clock):
    client, _session, _clock = make_client(fake_clock, [reply(201, {"token": {}})], **PASSWORD_AUTH)
    with pytest.raises(ContractError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert info.value.field == "X-Subject-Token"


# ---- the methods on their own ------------------------------------------------------------------------


def test_only_the_password_login_is_renewable():
    assert [method.renewable for method in auth_mod.AUTH_METHODS] == [False, False, True]
    assert [method.name for method in auth_mod.AUTH_METHODS] == ["token", "aksk", "password"]


@pytest.mark.parametrize("params, body, status", [
    ({}, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication"}, 401),
    ({"auth_token": None, "access_key": "AK", "secret_key": "SK"}, {"error_code": "IAM.0002", "error_msg": "denied"}, 403),
    (PASSWORD_AUTH, {"error_code": "IAM.0002", "error_msg": "denied"}, 403),
])
def test_explain_leaves_errors_it_cannot_help_with(fake_clock, params, body, status):
    script = ([iam_token()] if params is PASSWORD_AUTH else []) + [reply(status, body)]
    client, _session, _clock = make_client(fake_clock, script, **params)
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert ";" not in str(info.value)


def test_password_auth_redacts_its_token_once_it_has_one(fake_clock):
    client, _session, _clock = make_client(fake_clock, [iam_token("IAM-TOKEN-9"), ok()], **PASSWORD_AUTH)
    assert client.auth.secret_values() == [] and client.auth.project_id is None
    client.request(service_entry("rds"), "GET", PATH)
    assert client.auth.secret_values() == ["IAM-TOKEN-9"]
    assert "IAM-TOKEN-9" in client._secrets() and "Pa55-word!" in client._secrets()


@pytest.mark.parametrize("value, expected", [
    ("2026-03-05T05:06:07.000000Z", WALL_EPOCH + 86400), ("2026-03-05T05:06:07Z", WALL_EPOCH + 86400),
    (None, None), ("tomorrow", None),
])
def test_parse_token_expiry(value, expected):
    assert auth_mod.parse_token_expiry(value) == expected
