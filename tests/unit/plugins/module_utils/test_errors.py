# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import errors, http_errors

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "client")
with open(os.path.join(FIXTURES, "error_cases.json")) as handle:
    ERROR_CASES = json.load(handle)


def _body_text(case):
    if "body_file" in case:
        with open(os.path.join(FIXTURES, case["body_file"])) as handle:
            return handle.read()
    if "body_text" in case:
        return case["body_text"]
    return json.dumps(case["body"])


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case["name"] for case in ERROR_CASES])
def test_error_from_response_parses_every_body_shape(case):
    err = http_errors.error_from_response(
        case["status"], _body_text(case), case["headers"], service=case.get("service", "rds"), method="GET",
        path=case.get("path", "/v3/{project_id}/tasklist"))
    expect = case["expect"]
    assert type(err).__name__ == expect["type"]
    assert err.status == case["status"]
    for field in ("error_code", "error_msg", "request_id"):
        if field in expect:
            assert getattr(err, field) == expect[field], field
    if "line" in expect:
        assert str(err) == expect["line"]
    assert "\n" not in str(err)
    assert err.to_dict()["status"] == case["status"]


@pytest.mark.parametrize("status, cls", [
    (400, errors.ApiError), (401, errors.AuthError), (403, errors.AuthError), (404, errors.NotFound),
    (429, errors.Throttled), (500, errors.ApiError), (503, errors.ApiError),
])
def test_status_maps_to_class(status, cls):
    err = http_errors.error_from_response(status, "", {}, service="rds", method="GET", path="/x")
    assert type(err).__name__ == cls.__name__
    assert isinstance(err, errors.ApiError)
    assert isinstance(err, errors.TaskGateError)


def test_family_hierarchy():
    for cls in (errors.AuthError, errors.NotFound, errors.Throttled, errors.ContractError):
        assert issubclass(cls, errors.ApiError)
    assert issubclass(errors.CertificateError, errors.ApiError)
    for cls in (errors.InvalidInput, errors.WaitTimeout, errors.ApiError):
        assert issubclass(cls, errors.TaskGateError)
    assert not issubclass(errors.WaitTimeout, errors.ApiError)


def test_long_body_is_cut_to_200_characters_with_whitespace_collapsed():
    body = "word   \n\t" * 100
    err = http_errors.error_from_response(500, body, {}, service="ddm", method="GET", path="/v3/p/jobs/1")
    assert len(err.error_msg) <= http_errors.BODY_EXCERPT_CHARS
    assert err.error_msg.startswith("word word word")
    assert "  " not in err.error_msg and "\n" not in err.error_msg
    assert err.error_msg.endswith("...")


def test_a_json_error_message_is_a_reason_and_stays_whole():
    message = "The value of parameter limit must be < 100 and > 0; " + "detail " * 120
    err = http_errors.error_from_response(400, json.dumps({"error_code": "DBS.1", "error_msg": message}), {})
    assert err.error_msg == message.strip()   # whole, and "< 100 and >" is not mistaken for a tag


def test_only_a_runaway_json_message_is_cut():
    err = http_errors.error_from_response(400, json.dumps({"error_msg": "x" * 10000}), {})
    assert len(err.error_msg) == http_errors.REASON_CHARS and err.error_msg.endswith("...")


def test_to_dict_is_plain_and_complete():
    err = http_errors.error_from_response(400, json.dumps({"error_code": "DBS.1", "error_msg": "bad"}), {"X-Request-Id": "r1"},
                                          service="rds", method="GET", path="/v3/{project_id}/jobs")
    result = err.to_dict()
    # The sentence is the result's msg (str(err)), not repeated in the error dict.
    assert result == {
        "type": "ApiError", "status": 400, "error_code": "DBS.1", "error_msg": "bad",
        "request_id": "r1", "method": "GET", "path": "/v3/{project_id}/jobs", "service": "rds",
    }
    json.dumps(result)


def test_invalid_input_names_option_and_allowed_values():
    err = errors.InvalidInput("endpoints has an unknown key 'x'", option="endpoints", allowed=("rds", "ddm"))
    assert err.to_dict() == {"type": "InvalidInput", "option": "endpoints", "allowed": ["rds", "ddm"]}


def test_contract_error_names_field():
    err = errors.ContractError("rds GET /x: field jobs missing", field="jobs", status=200, service="rds")
    assert err.field == "jobs"
    assert err.to_dict()["field"] == "jobs"
    assert err.status == 200


def test_explain_extends_the_one_line_message():
    err = http_errors.error_from_response(429, "", {}, service="rds", method="GET", path="/x")
    assert err.explain("the retry budget ran out") is err
    assert str(err).endswith("HTTP 429 Too Many Requests; the retry budget ran out")
    assert err.args == (str(err),)
    assert "message" not in err.to_dict()


def test_python_add_note_is_not_shadowed():
    # BaseException.add_note (3.11+) keeps notes apart from the message; ours must not replace it.
    assert "add_note" not in vars(errors.ApiError) and "add_note" not in vars(errors.TaskGateError)


def test_failure_result_is_the_one_failure_shape():
    err = errors.InvalidInput("timeout must be a duration, got 'x'", option="timeout")
    result = errors.failure_result(err, changed=False)
    assert result == {"failed": True, "msg": "timeout must be a duration, got 'x'", "changed": False,
                      "error": {"type": "InvalidInput", "option": "timeout"}}
    api = http_errors.error_from_response(404, "", {}, service="rds", method="GET", path="/x")
    assert errors.failure_result(api)["error"] == {"type": "NotFound", "status": 404, "method": "GET", "path": "/x",
                                                   "service": "rds"}
    assert errors.failure_result(ValueError("boom")) == {"failed": True, "msg": "boom", "error": {"type": "ValueError"}}


@pytest.mark.parametrize("status, body, expired", [
    (401, {"error_code": "APIGW.0307", "error_msg": "The token must be updated."}, True),
    (401, {"error_code": "APIGW.9999", "error_msg": "The token must be updated."}, True),
    (401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}, False),
    (403, {"error_code": "APIGW.0307", "error_msg": "The token must be updated."}, False),
])
def test_token_expired_detection(status, body, expired):
    assert http_errors.error_from_response(status, json.dumps(body), {}).token_expired is expired


def test_server_echoed_secret_is_redacted():
    body = json.dumps({"error_code": "X.1", "error_msg": "bad signature for sk S3cr3tKey!"})
    err = http_errors.error_from_response(401, body, {}, secrets=["S3cr3tKey!"])
    assert "S3cr3tKey!" not in str(err)
    assert http_errors.REDACTED in err.error_msg


def test_a_secret_containing_another_is_masked_whole():
    text = "rejected sk Key-abc123 and token abc"
    for secrets in (["abc", "Key-abc123"], ["Key-abc123", "abc"]):
        assert http_errors.redact(text, secrets) == "rejected sk %s and token %s" % (http_errors.REDACTED, http_errors.REDACTED)


def test_format_without_status_is_transport_failure():
    line = errors.format_api_message("rds", "GET", "/p", None, error_msg="ConnectTimeout: timed out")
    assert line == "rds GET /p failed: ConnectTimeout: timed out"


def test_certificate_error_names_host_and_reason():
    err = errors.CertificateError("rds GET /x failed: TLS certificate of h:443 rejected: certificate has expired",
                                  host="h:443", reason="certificate has expired", error_msg="TLS ...", service="rds")
    assert err.to_dict() == {"type": "CertificateError", "host": "h:443", "reason": "certificate has expired",
                             "error_msg": "TLS ...", "service": "rds"}
    assert err.status is None


def test_error_from_response_keeps_the_date_header_out_of_the_details():
    date = "Thu, 01 Jan 2026 01:00:00 GMT"
    err = http_errors.error_from_response(401, json.dumps({"error_code": "APIGW.0301", "error_msg": "x"}), {"Date": date})
    assert err.response_date == date and date not in json.dumps(err.to_dict())
    assert http_errors.error_from_response(401, "", None).response_date is None


# ---- exception reasons: whole, innermost, without urllib3's wrapper text -------------------------

class _Conn(object):
    """Stands for urllib3's connection object in its exceptions (urllib3 2 prints it like this)."""

    def __repr__(self):
        return "HTTPSConnection(host='rds.eu-west-101.myhuaweicloud.eu', port=443)"

    __str__ = __repr__


def _pool_wrapped(inner, wrapper=None):
    """requests.<wrapper>(MaxRetryError(pool, url, reason=inner)), the way requests raises it."""
    import requests
    from urllib3.exceptions import MaxRetryError
    return (wrapper or requests.exceptions.ConnectionError)(MaxRetryError(_Conn(), "/rds/v3/p/tasklist?limit=50", inner))


def _caused(exc, cause):
    exc.__cause__ = cause
    return exc


def _cases():
    import requests
    import ssl
    from urllib3.exceptions import NewConnectionError, ProtocolError, ReadTimeoutError, SSLError
    long_name = "a-very-long-gateway-name-%s.example" % ("x" * 150)
    return [
        ("refused", _pool_wrapped(_caused(NewConnectionError(_Conn(), "Failed to establish a new connection: [Errno 111] "
                                                                      "Connection refused"),
                                          ConnectionRefusedError(111, "Connection refused"))),
         "Failed to establish a new connection: [Errno 111] Connection refused"),
        ("dropped", requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))),
         "Connection aborted: [Errno 104] Connection reset by peer"),
        ("read-timeout", requests.exceptions.ReadTimeout(_caused(ReadTimeoutError(_Conn(), "/x", "Read timed out. (read timeout=30)"),
                                                                 TimeoutError("timed out"))),
         "Read timed out. (read timeout=30)"),
        ("tls-handshake", _pool_wrapped(SSLError(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")),
                                        requests.exceptions.SSLError),
         "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
        ("dns", _pool_wrapped(NewConnectionError(_Conn(), "Failed to resolve '%s' ([Errno -2] Name or service not known)" % long_name)),
         "Failed to resolve '%s' ([Errno -2] Name or service not known)" % long_name),
        ("plain", requests.exceptions.ReadTimeout("read timed out"), "read timed out"),
        ("empty", requests.exceptions.ConnectionError(), "ConnectionError"),
    ]


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case[0])
def test_exception_reason_is_the_whole_innermost_reason(case):
    _name, exc, expected = case
    assert http_errors.exception_reason(exc) == expected


def test_exception_chain_is_outermost_first_and_survives_cycles():
    outer, inner = ValueError("outer"), KeyError("inner")
    outer.__cause__ = inner
    inner.__cause__ = outer
    assert http_errors.exception_chain(outer) == [outer, inner]
