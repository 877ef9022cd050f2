# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import errors

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
    err = errors.error_from_response(
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
    err = errors.error_from_response(status, "", {}, service="rds", method="GET", path="/x")
    assert type(err).__name__ == cls.__name__
    assert isinstance(err, errors.ApiError)
    assert isinstance(err, errors.TaskGateError)


def test_family_hierarchy():
    for cls in (errors.AuthError, errors.NotFound, errors.Throttled, errors.ContractError):
        assert issubclass(cls, errors.ApiError)
    for cls in (errors.InvalidInput, errors.WaitTimeout, errors.ApiError):
        assert issubclass(cls, errors.TaskGateError)
    assert not issubclass(errors.WaitTimeout, errors.ApiError)


def test_long_body_is_cut_to_200_characters_with_whitespace_collapsed():
    body = "word   \n\t" * 100
    err = errors.error_from_response(500, body, {}, service="ddm", method="GET", path="/v3/p/jobs/1")
    assert len(err.error_msg) <= errors.BODY_EXCERPT_CHARS
    assert err.error_msg.startswith("word word word")
    assert "  " not in err.error_msg and "\n" not in err.error_msg
    assert err.error_msg.endswith("...")


def test_long_json_message_is_cut_too():
    err = errors.error_from_response(400, json.dumps({"error_msg": "x" * 1000}), {})
    assert len(err.error_msg) == errors.BODY_EXCERPT_CHARS


def test_to_dict_is_plain_and_complete():
    err = errors.error_from_response(400, json.dumps({"error_code": "DBS.1", "error_msg": "bad"}), {"X-Request-Id": "r1"},
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
    err = errors.error_from_response(429, "", {}, service="rds", method="GET", path="/x")
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
    api = errors.error_from_response(404, "", {}, service="rds", method="GET", path="/x")
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
    assert errors.error_from_response(status, json.dumps(body), {}).token_expired is expired


def test_server_echoed_secret_is_redacted():
    body = json.dumps({"error_code": "X.1", "error_msg": "bad signature for sk S3cr3tKey!"})
    err = errors.error_from_response(401, body, {}, secrets=["S3cr3tKey!"])
    assert "S3cr3tKey!" not in str(err)
    assert errors.REDACTED in err.error_msg


def test_format_without_status_is_transport_failure():
    line = errors.format_api_message("rds", "GET", "/p", None, error_msg="ConnectTimeout: timed out")
    assert line == "rds GET /p failed: ConnectTimeout: timed out"
