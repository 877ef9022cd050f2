# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""api_call: job id extraction over the create responses of the four services, input checks, one call."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from types import SimpleNamespace

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import api_call
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, ContractError, InvalidInput, NotFound

# (case, response body, job_id_path, expected job id)
JOB_ID_CASES = [
    ("geminidb create", {"id": "in06", "name": "c1", "job_id": "b7d6467b-2f5a"}, None, "b7d6467b-2f5a"),
    ("rds create", {"instance": {"id": "in01", "status": "BUILD"}, "job_id": "d480865f"}, None, "d480865f"),
    ("ddm create", {"id": "in09", "name": "p1", "job_id": "e786ab37"}, None, "e786ab37"),
    ("servicestage create", {"instance_id": "0361524c", "job_id": "JOBe66cd36e"}, None, "JOBe66cd36e"),
    ("nested job.id", {"job": {"id": "j-nested", "status": "Running"}}, None, "j-nested"),
    ("camel jobId", {"jobId": "j-camel"}, None, "j-camel"),
    ("CAS v2 upper case", {"job": {"JOB_ID": "JOB-upper"}}, None, "JOB-upper"),
    ("job_id wins over job.id", {"job_id": "first", "job": {"id": "second"}}, None, "first"),
    ("numeric id becomes text", {"job_id": 12345}, None, "12345"),
    ("empty job_id falls through", {"job_id": "", "jobId": "j-2"}, None, "j-2"),
    ("no job id", {"instances": [], "total_count": 0}, None, None),
    ("empty body", None, None, None),
    ("list body", [{"job_id": "x"}], None, None),
    ("user path into a list", {"jobs": [{"id": "j-a"}, {"id": "j-b"}]}, "jobs.1.id", "j-b"),
    ("user path beats the usual places", {"job_id": "usual", "result": {"task": "mine"}}, "result.task", "mine"),
]


@pytest.mark.parametrize("body, job_id_path, expected", [case[1:] for case in JOB_ID_CASES],
                         ids=[case[0] for case in JOB_ID_CASES])
def test_extract_job_id(body, job_id_path, expected):
    assert api_call.extract_job_id(body, job_id_path) == expected


@pytest.mark.parametrize("body, path", [
    ({"job_id": "x"}, "job.id"),
    ({"jobs": []}, "jobs.0.id"),
    ({"job": {"id": {"nested": 1}}}, "job.id"),
    ("text", "job_id"),
])
def test_a_given_job_id_path_that_misses_is_an_error(body, path):
    with pytest.raises(ContractError) as info:
        api_call.extract_job_id(body, path)
    assert info.value.field == path
    assert path in info.value.message


@pytest.mark.parametrize("data, path, expected", [
    ({"a": {"b": [1, {"c": "x"}]}}, "a.b.1.c", "x"),
    ({"a": [1, 2, 3]}, "a.-1", 3),
    ({"a": [1]}, "a.5", None),
    ({"a": {"b": 1}}, "a.b.c", None),
    ({"a": 1}, "", {"a": 1}),
    ({"0": "key"}, "0", "key"),
])
def test_lookup_path(data, path, expected):
    assert lookup_path(data, path) == expected


VALID = {"service": "rds", "method": "post", "path": "/v3/{project_id}/instances", "status_code": None}


@pytest.mark.parametrize("change, option", [
    ({"service": "dws"}, "service"),
    ({"method": "TRACE"}, "method"),
    ({"path": "v3/{project_id}/instances"}, "path"),
    ({"path": None}, "path"),
    ({"status_code": [200, 700]}, "status_code"),
    ({"status_code": [True]}, "status_code"),
])
def test_validate_request_names_the_option(change, option):
    params = dict(VALID, **change)
    with pytest.raises(InvalidInput) as info:
        api_call.validate_request(params)
    assert info.value.option == option


def test_validate_request_normalizes():
    request = api_call.validate_request(dict(VALID, status_code=[202, 200, 202]))
    assert (request.service, request.method, request.path, request.accepted) == (
        "rds", "POST", "/v3/{project_id}/instances", [200, 202])
    assert api_call.validate_request(VALID).accepted == [200, 201, 202, 204]


class FakeResponse:
    def __init__(self, status, body, request_id="req-1"):
        self.status = status
        self.json = body
        self.request_id = request_id


class FakeClient:
    """Records calls; answers with a queued response or raises a queued error.

    ``answer`` answers every call; ``answers`` (a list) one call each, the last one repeated.
    ``clock`` (the fake clock) drives the busy retries' deadline and sleeps.
    """

    def __init__(self, answer=None, answers=None, clock=None):
        self.answers = list(answers) if answers is not None else [answer]
        self.calls = []
        self.deadlines = []
        # Without the fake_clock fixture: time stands still and nothing may sleep.
        self.clock = clock.clock if clock is not None else (lambda: 0.0)
        self.sleep = clock.sleep if clock is not None else self._no_sleep
        self.retry_policy = SimpleNamespace(rng=lambda: 1.0)

    @staticmethod
    def _no_sleep(seconds):
        raise AssertionError("slept %r s without a fake clock" % (seconds,))

    def request(self, entry, method, path, query=None, body=None, deadline=None):
        self.calls.append((entry.name, method, path, query, body))
        self.deadlines.append(deadline)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def params(**change):
    base = {"service": "rds", "method": "POST", "path": "/v3/{project_id}/instances", "query": None,
            "body": {"name": "db-1"}, "job_id_path": None, "status_code": [200, 201, 202, 204]}
    base.update(change)
    return base


def send(client, check_mode=False, **change):
    """run_api_request of the checked request of ``params(**change)``: how api_request calls it."""
    return api_call.run_api_request(client, api_call.validate_request(params(**change)), check_mode=check_mode)


def test_post_returns_job_id_and_changed():
    client = FakeClient(FakeResponse(202, {"instance": {"id": "in01"}, "job_id": "j1"}, "r-9"))
    result = send(client)
    assert client.calls == [("rds", "POST", "/v3/{project_id}/instances", None, {"name": "db-1"})]
    assert (result["changed"], result["status"], result["job_id"], result["request_id"]) == (True, 202, "j1", "r-9")
    assert result["json"]["instance"]["id"] == "in01"


def test_get_is_not_a_change_and_runs_in_check_mode():
    client = FakeClient(FakeResponse(200, {"instances": []}))
    result = send(client, check_mode=True, method="GET", body=None, query={"name": "db-1"})
    assert client.calls == [("rds", "GET", "/v3/{project_id}/instances", {"name": "db-1"}, None)]
    assert result["changed"] is False and result["job_id"] is None


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_check_mode_skips_non_get_and_says_so(method):
    client = FakeClient(FakeResponse(202, {"job_id": "j1"}))
    result = send(client, check_mode=True, method=method)
    assert client.calls == []
    assert result["skipped"] is True and result["changed"] is True
    assert "check mode" in result["msg"] and method in result["msg"]


def test_status_outside_status_code_is_an_error():
    client = FakeClient(FakeResponse(200, {"job_id": "j1"}, "r-2"))
    with pytest.raises(ContractError) as info:
        send(client, status_code=[202])
    assert info.value.status == 200 and info.value.request_id == "r-2"
    assert "status_code" in info.value.message


def test_error_status_listed_in_status_code_is_an_answer():
    error = NotFound(status=404, error_code="DBS.200404", error_msg="not found", request_id="r-4", service="rds")
    result = send(FakeClient(error), method="GET", status_code=[200, 404])
    assert (result["status"], result["changed"], result["request_id"]) == (404, False, "r-4")
    assert result["json"] == {"error_code": "DBS.200404", "error_msg": "not found"}


@pytest.mark.parametrize("error", [
    NotFound(status=404, service="rds"),
    ApiError(status=None, error_msg="connection refused", service="rds"),
])
def test_other_errors_propagate(error):
    with pytest.raises(ApiError):
        send(FakeClient(error), method="GET")


def test_invalid_input_is_raised_before_any_call(monkeypatch):
    # api_request checks its options once, before it even builds the client.
    def no_client(_params):
        raise AssertionError("the client was built before the options were checked")
    monkeypatch.setattr(api_call.ClientConfig, "from_params", no_client)
    with pytest.raises(InvalidInput) as caught:
        api_call.api_request(params(path="instances"))
    assert caught.value.option == "path"


def test_api_request_checks_once_and_sends_the_checked_request(monkeypatch):
    checks = []
    real_validate = api_call.validate_request

    def counted(module_params):
        checks.append(module_params)
        return real_validate(module_params)
    client = FakeClient(FakeResponse(202, {"job_id": "j1"}))

    class ClientFactory(object):
        def __init__(self, _config):
            pass

        def __enter__(self):
            return client

        def __exit__(self, *exc):
            return False
    monkeypatch.setattr(api_call, "validate_request", counted)
    monkeypatch.setattr(api_call.ClientConfig, "from_params", staticmethod(lambda module_params: SimpleNamespace(warnings=[])))
    monkeypatch.setattr(api_call, "Client", ClientFactory)
    result = api_call.api_request(params(method="post", status_code=[202, 202]))
    assert len(checks) == 1 and result["job_id"] == "j1"
    assert client.calls == [("rds", "POST", "/v3/{project_id}/instances", None, {"name": "db-1"})]


# ---------------------------------------------------------------------------
# secrets of the request body: found before anything is sent, masked by the module


PASSWORD = "Pw-0f-the-db!"


BODY_SECRET_CASES = [
    ("top-level password", {"name": "db-1", "password": PASSWORD}, None, {PASSWORD}),
    ("any letter case, nested in lists", {"servers": [{"AdminPass": "a1"}, {"ADMINPASS": "a2"}]}, None, {"a1", "a2"}),
    ("every well-known key", dict((key, "v-" + key) for key in api_call.SECRET_BODY_KEYS), None,
     set("v-" + key for key in api_call.SECRET_BODY_KEYS)),
    ("a dict under a secret key: every value in it", {"db_user_pwd": {"old": "o1", "new": ["n1", 42]}}, None, {"o1", "n1", "42"}),
    ("booleans and empty values mask nothing", {"password": "", "secret": True, "token": None}, None, set()),
    ("no secret key: nothing", {"name": "db-1", "passwords_enabled": "yes", "volume": {"size": 40}}, None, set()),
    ("a user path", {"env": [{"name": "DB", "value": "v-1"}]}, ["env.0.value"], {"v-1"}),
    ("a user path to a dict", {"conf": {"k1": "x1", "k2": {"k3": "x3"}}}, ["conf"], {"x1", "x3"}),
    ("user paths add to the keys", {"password": PASSWORD, "conf": {"dsn": "pg://u:p@h"}}, ["conf.dsn"], {PASSWORD, "pg://u:p@h"}),
    ("a body given as JSON text", '{"instance": {"password": "%s"}}' % PASSWORD, None, {PASSWORD}),
    ("text that is not JSON", "password=x", None, set()),
    ("no body", None, None, set()),
]


@pytest.mark.parametrize("body, body_secrets, expected", [case[1:] for case in BODY_SECRET_CASES],
                         ids=[case[0] for case in BODY_SECRET_CASES])
def test_body_secret_values(body, body_secrets, expected):
    assert api_call.body_secret_values(body, body_secrets) == expected


@pytest.mark.parametrize("path", ["env.1.value", "conf.pasword", ""])
def test_a_body_secrets_path_not_in_the_body_is_an_error_naming_the_option(path):
    found = set()
    with pytest.raises(InvalidInput) as caught:
        api_call.body_secret_values({"password": PASSWORD, "env": [{"value": "v"}], "conf": {}}, [path], found=found)
    assert caught.value.option == "body_secrets"
    assert repr(path) in str(caught.value)
    assert found == {PASSWORD}, "the secrets found before the error must stay masked"


def test_api_request_registers_the_body_secrets_before_anything_else(monkeypatch):
    # Even a request that fails its checks (bad path) must leave the body's secrets in no_log_values,
    # because the failure result repeats the body in its invocation.
    monkeypatch.setattr(api_call.ClientConfig, "from_params", lambda _params: pytest.fail("nothing may be built"))
    no_log_values = set()
    with pytest.raises(InvalidInput):
        api_call.api_request(params(path="instances", body={"name": "db-1", "password": PASSWORD}, body_secrets=["name"]),
                             no_log_values=no_log_values)
    assert no_log_values == {PASSWORD, "db-1"}


def test_the_documented_secret_keys_are_the_code_ones():
    import yaml
    from ansible_collections.taskgate.huaweicloud.plugins.modules import api_request
    body_doc = " ".join(yaml.safe_load(api_request.DOCUMENTATION)["options"]["body"]["description"])
    documented = body_doc[body_doc.index("key named"):body_doc.index("(any letter case")]
    assert re.findall(r"C\((\w+)\)", documented) == list(api_call.SECRET_BODY_KEYS)


@pytest.mark.parametrize("path, expected", [
    ("/v3/{project_id}/instances/abc", "abc"),
    ("/v2/{project_id}/cloudvolumes/v%201/", "v 1"),
    ("/v3/{project_id}/instances/abc?force=true", "abc"),
    ("/v3/{project_id}/instances/{id}", None),
])
def test_a_delete_names_the_resource_it_deletes(path, expected):
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.api_call import deleted_resource_id
    assert deleted_resource_id(path) == expected


# ---- the third wave: per-service job id places, order ids, busy-instance retries -------------------------

@pytest.mark.parametrize("service, body, expected", [
    ("cce", {"kind": "Cluster", "metadata": {"uid": "c-1"}, "status": {"phase": "Creating", "jobID": "cce-job"}}, "cce-job"),
    ("cce", {"jobid": "add-node-job"}, "add-node-job"),
    ("gaussdb", {"instance": {"id": "in14"}, "job_id": "g-job"}, "g-job"),
    ("ims", {"job_id": "ims-job"}, "ims-job"),
])
def test_each_service_finds_the_job_id_of_its_create_calls(service, body, expected):
    assert api_call.extract_job_id(body, None, service_entry(service)) == expected


def test_a_prepaid_create_answers_an_order_id():
    client = FakeClient(FakeResponse(202, {"instance": {"id": "in01"}, "order_id": "CS2212"}))
    result = send(client)
    assert (result["job_id"], result["order_id"], result["busy_retries"]) == (None, "CS2212", 0)


def busy(status=409, code="DBS.200019"):
    return ApiError(status=status, error_code=code, error_msg="Another operation is being performed on the DB instance.",
                    method="POST", path="/v3/{project_id}/instances/{id}/action", service="gaussdb")


def test_a_busy_write_is_sent_again_until_it_goes_through(fake_clock):
    client = FakeClient(answers=[busy(), busy(), FakeResponse(202, {"job_id": "restart-1"})], clock=fake_clock)
    result = send(client, service="gaussdb", timeout="5m")
    assert (result["job_id"], result["busy_retries"], len(client.calls)) == ("restart-1", 2, 3)
    # Back-off doubles from BUSY_FIRST_WAIT (the test's rng gives the top of the jitter range).
    assert fake_clock.sleeps == [api_call.BUSY_FIRST_WAIT, 2 * api_call.BUSY_FIRST_WAIT]
    assert "after 2 busy retries" in result["msg"]
    # Every try shares the one deadline of the timeout.
    assert set(client.deadlines) == {fake_clock.start + 300}


def test_a_write_still_busy_at_its_timeout_fails_saying_how_often_it_waited(fake_clock):
    client = FakeClient(busy(), clock=fake_clock)
    with pytest.raises(ApiError) as caught:
        send(client, service="gaussdb", timeout="20s")
    # 2 + 4 + 8 s waited, the next 16 s would pass the 20 s timeout.
    assert fake_clock.sleeps == [2.0, 4.0, 8.0]
    assert caught.value.details["busy_retries"] == 3
    assert "still busy with another operation after 3 retries over 14s; timeout 20s ended" in str(caught.value)


@pytest.mark.parametrize("service, status, code", [
    ("gaussdb", 400, "DBS.200019"),       # GaussDB's busy codes come with 409 only
    ("gaussdb", 409, "DBS.200001"),       # a parameter error is never retried
    ("rds", 404, "DBS.200019"),
    ("geminidb", 409, "DBS.200019"),      # no busy codes documented for the service
    ("dds", 409, "DBS.200019"),           # DDS: 400/403
])
def test_other_4xx_answers_are_not_retried(fake_clock, service, status, code):
    client = FakeClient(busy(status, code), clock=fake_clock)
    with pytest.raises(ApiError):
        send(client, service=service)
    assert (len(client.calls), fake_clock.sleeps) == (1, [])


@pytest.mark.parametrize("service, status, code", [
    ("rds", 400, "DBS.200019"), ("rds", 500, "DBS.280036"), ("dds", 403, "DBS.00010009"), ("taurusdb", 409, "DBS.212033"),
    ("dcs", 400, "DCS.4100"), ("bss_order", 400, "CBC.99003651"),
])
def test_every_documented_busy_answer_is_retried(fake_clock, service, status, code):
    client = FakeClient(answers=[busy(status, code), FakeResponse(200, {})], clock=fake_clock)
    assert send(client, service=service)["busy_retries"] == 1


def test_a_busy_answer_to_a_read_is_not_retried(fake_clock):
    client = FakeClient(busy(), clock=fake_clock)
    with pytest.raises(ApiError):
        send(client, service="gaussdb", method="GET")
    assert len(client.calls) == 1


def test_a_busy_status_listed_in_status_code_is_an_answer(fake_clock):
    client = FakeClient(busy(), clock=fake_clock)
    result = send(client, service="gaussdb", status_code=[202, 409])
    assert (result["status"], result["busy_retries"], len(client.calls)) == (409, 0, 1)


@pytest.mark.parametrize("timeout", ["0", "soon", -3])
def test_timeout_is_checked_before_anything_is_sent(timeout):
    with pytest.raises(InvalidInput) as caught:
        api_call.validate_request(params(timeout=timeout))
    assert caught.value.details["option"] == "timeout"
