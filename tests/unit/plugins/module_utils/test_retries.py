# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry policy: pure decisions (retries.py), and how Client.send applies them under a deadline."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from email.utils import formatdate

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import retries
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    NotFound,
    Throttled,
    WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

from client_fakes import (
    PATH,
    WALL_EPOCH,
    cert_refused,
    dropped,
    handshake_failed,
    make_client,
    ok,
    refused,
    reply,
    throttled,
    unavailable,
)


# ---- retry policy --------------------------------------------------------------------------------

def test_429_without_retry_after_backs_off_with_full_jitter(fake_clock):
    client, session, clock = make_client(fake_clock, [throttled(), throttled(), throttled(), ok()], rng=lambda: 0.5)
    assert client.request(service_entry("rds"), "GET", PATH).status == 200
    # The policy's delays; the endpoint's pacing (rate_limit.py, cut by each 429) may add to them.
    assert clock.sleeps[0] == 0.25
    gaps = [later.at - earlier.at for earlier, later in zip(session.calls, session.calls[1:])]
    assert all(gap >= delay for gap, delay in zip(gaps, [0.25, 0.5, 1.0])), gaps
    assert client.stats == {"requests": 4, "retries": 3, "throttled": 3, "auth_refreshes": 0}
    assert len(session.calls) == 4


def test_429_retry_after_seconds_is_honoured(fake_clock):
    client, _session, clock = make_client(fake_clock, [throttled("7"), ok()])
    client.request(service_entry("rds"), "GET", PATH)
    assert clock.sleeps == [7.0]


def test_429_retry_after_http_date_is_honoured(fake_clock):
    client, _session, clock = make_client(fake_clock, [throttled(formatdate(WALL_EPOCH + 12, usegmt=True)), ok()])
    client.request(service_entry("rds"), "GET", PATH)
    assert clock.sleeps == [12.0]


def test_retry_after_in_the_past_retries_at_once_and_garbage_falls_back_to_backoff(fake_clock):
    client, session, clock = make_client(fake_clock, [throttled(formatdate(WALL_EPOCH - 60, usegmt=True)), throttled("soon"), ok()],
                                         rng=lambda: 1.0)
    client.request(service_entry("rds"), "GET", PATH)
    # Retry-After in the past: no hold of its own (only the pacing a 429 brings); garbage: the full backoff.
    assert clock.sleeps[0] == 0.0
    assert session.calls[2].at - session.calls[1].at >= 1.0


def test_retry_after_beyond_the_limit_is_not_waited_for(fake_clock):
    client, session, clock = make_client(fake_clock, [throttled("3600")])
    with pytest.raises(Throttled) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert clock.sleeps == [] and len(session.calls) == 1
    assert "3600 s" in str(info.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_then_success(fake_clock, status):
    client, session, clock = make_client(fake_clock, [unavailable(status), ok()])
    assert client.request(service_entry("rds"), "GET", PATH).status == 200
    assert len(session.calls) == 2 and len(clock.sleeps) == 1
    assert client.stats["retries"] == 1 and client.stats["throttled"] == 0


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_max_retries_bounds_attempts(fake_clock, max_retries):
    client, session, clock = make_client(fake_clock, [unavailable()] * (max_retries + 1), max_retries=max_retries)
    with pytest.raises(ApiError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert type(info.value).__name__ == "ApiError" and info.value.status == 503
    assert len(session.calls) == max_retries + 1 and len(clock.sleeps) == max_retries
    assert "retry budget ran out after %d retries (max_retries=%d)" % (max_retries, max_retries) in str(info.value)


def test_throttled_after_budget_is_throttled_error(fake_clock):
    client, _session, _clock = make_client(fake_clock, [throttled()] * 3, max_retries=2)
    with pytest.raises(Throttled) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert info.value.error_code == "APIGW.0308"
    assert client.stats["throttled"] == 3


def test_deadline_bounds_sleeps_and_reports_it(fake_clock):
    # rng 1.0: delays 0.5, 1, 2, 4, 8 ... ; deadline 5 s after start stops before the 4 s sleep.
    client, session, clock = make_client(fake_clock, [unavailable()] * 10, rng=lambda: 1.0, max_retries=10)
    start = clock.now
    with pytest.raises(ApiError) as info:
        client.request(service_entry("rds"), "GET", PATH, deadline=start + 5.0)
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert clock.now <= start + 5.0
    assert len(session.calls) == 4
    assert "deadline ran out after 3 retries" in str(info.value)


def test_per_attempt_timeout_is_capped_by_the_deadline(fake_clock):
    client, session, clock = make_client(fake_clock, [unavailable(), ok()], rng=lambda: 1.0, request_timeout=30, elapsed=2.0)
    client.request(service_entry("rds"), "GET", PATH, deadline=clock.now + 10.0)
    assert session.calls[0].timeout == 10.0
    assert session.calls[1].timeout == pytest.approx(10.0 - 2.0 - 0.5)


def test_deadline_already_passed_sends_nothing(fake_clock):
    client, session, clock = make_client(fake_clock, [])
    with pytest.raises(WaitTimeout):
        client.request(service_entry("rds"), "GET", PATH, deadline=clock.now)
    assert session.calls == []


def test_slow_attempt_past_the_deadline_raises_the_last_error(fake_clock):
    client, session, clock = make_client(fake_clock, [throttled("0"), ok()], elapsed=6.0)
    with pytest.raises(Throttled) as info:
        client.request(service_entry("rds"), "GET", PATH, deadline=clock.now + 5.0)
    assert len(session.calls) == 1 and "deadline" in str(info.value)


@pytest.mark.parametrize("status, cls", [(400, ApiError), (401, AuthError), (403, AuthError), (404, NotFound),
                                         (409, ApiError), (422, ApiError)])
def test_other_4xx_are_never_retried(fake_clock, status, cls):
    client, session, clock = make_client(fake_clock, [reply(status, {"error_code": "X.%d" % status, "error_msg": "no"})])
    with pytest.raises(cls) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert type(info.value).__name__ == cls.__name__ and info.value.status == status
    assert len(session.calls) == 1 and clock.sleeps == []


def test_connection_errors_and_timeouts_are_retried_for_get(fake_clock):
    script = [refused(), requests.exceptions.ReadTimeout("read timed out"), requests.exceptions.ChunkedEncodingError("x"),
              dropped(), ok()]
    client, session, _clock = make_client(fake_clock, script)
    assert client.request(service_entry("rds"), "GET", PATH).status == 200
    assert len(session.calls) == 5 and client.stats["retries"] == 4


def test_connection_errors_exhausted_give_api_error_without_status(fake_clock):
    client, _session, _clock = make_client(fake_clock, [refused()] * 2, max_retries=1)
    with pytest.raises(ApiError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    err = info.value
    assert type(err).__name__ == "ApiError" and err.status is None
    assert str(err).startswith("rds GET /v3/{project_id}/tasklist failed: ConnectionError talking to "
                               "rds.eu-west-101.myhuaweicloud.eu: ")
    assert "Connection refused" in str(err) and "Max retries" not in str(err)
    assert "retry budget" in str(err)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_refused_certificate_is_never_retried(fake_clock, method):
    client, session, clock = make_client(fake_clock, [cert_refused(), ok()], max_retries=4)
    with pytest.raises(ApiError) as info:
        client.request(service_entry("rds"), method, PATH)
    assert type(info.value).__name__ == "CertificateError"
    assert len(session.calls) == 1 and clock.sleeps == [] and client.stats["retries"] == 0


def test_other_tls_failures_are_retried_like_any_transport_error(fake_clock):
    client, session, _clock = make_client(fake_clock, [handshake_failed(), ok()])
    assert client.request(service_entry("rds"), "GET", PATH).status == 200
    assert len(session.calls) == 2


def test_a_long_transport_reason_is_kept_whole(fake_clock):
    reason = "Failed to resolve '%s.example' ([Errno -2] Name or service not known)" % ("gateway-" * 40)
    error = requests.exceptions.ConnectionError(MaxRetryError(None, "/x", NewConnectionError(None, reason)))
    client, _session, _clock = make_client(fake_clock, [error], max_retries=0)
    with pytest.raises(ApiError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert reason in str(info.value) and "..." not in str(info.value)


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
def test_non_get_retries_only_429_and_unsent_requests(fake_clock, method, script, attempts):
    client, session, _clock = make_client(fake_clock, script)
    succeeds = not isinstance(script[-1], BaseException) and script[-1].status_code == 200
    if succeeds:
        client.request(service_entry("rds"), method, PATH, body={"x": 1})
    else:
        with pytest.raises(ApiError):
            client.request(service_entry("rds"), method, PATH, body={"x": 1})
    assert len(session.calls) == attempts


@pytest.mark.parametrize("method, expected", [("GET", True), ("get", True), ("HEAD", True), ("POST", False),
                                              ("PUT", False), ("DELETE", False), ("PATCH", False)])
def test_idempotent_decision(method, expected):
    assert retries.idempotent(method) is expected


@pytest.mark.parametrize("rng_value", [0.0, 0.3, 0.999999])
def test_jitter_stays_in_range(rng_value):
    caps = [0.5, 1, 2, 4, 8, 16, 20, 20, 20]
    for attempt, cap in enumerate(caps):
        delay = retries.backoff_delay(attempt, lambda: rng_value)
        assert 0 <= delay < cap or (rng_value == 0 and delay == 0)
        assert delay == pytest.approx(rng_value * cap)


def test_jitter_uses_the_injected_rng_per_retry(fake_clock):
    values = iter([0.1, 0.9, 0.4])
    client, _session, clock = make_client(fake_clock, [unavailable()] * 3 + [ok()], rng=lambda: next(values))
    client.request(service_entry("rds"), "GET", PATH)
    assert clock.sleeps == pytest.approx([0.05, 0.9, 0.8])


# ---- the policy on its own -------------------------------------------------------------------------


@pytest.mark.parametrize("method, status, expected", [
    ("GET", 429, True), ("POST", 429, True), ("GET", 500, True), ("GET", 504, True), ("HEAD", 503, True),
    ("POST", 503, False), ("DELETE", 502, False), ("GET", 501, False), ("GET", 400, False), ("GET", 404, False),
])
def test_may_retry_status(method, status, expected):
    assert retries.RetryPolicy.may_retry_status(method, status) is expected


@pytest.mark.parametrize("method, exc, expected", [
    ("POST", refused(), True),
    ("POST", requests.exceptions.ConnectTimeout("connect timed out"), True),
    ("POST", dropped(), False),
    ("POST", requests.exceptions.ReadTimeout("read timed out"), False),
    ("GET", dropped(), True),
])
def test_may_retry_failure_only_when_harmless_or_never_sent(method, exc, expected):
    assert retries.RetryPolicy.may_retry_failure(method, exc) is expected
    assert retries.failed_before_sending(exc) is (expected and method == "POST")


@pytest.mark.parametrize("exc, refused_cert", [
    (cert_refused(), True), (cert_refused(10, "certificate has expired"), True),
    (handshake_failed(), False), (refused(), False), (dropped(), False),
])
def test_certificate_failure_is_found_in_the_chain_and_never_retried(exc, refused_cert):
    found = retries.certificate_failure(exc)
    assert (found is not None) is refused_cert
    if refused_cert:
        assert retries.RetryPolicy.may_retry_failure("GET", exc) is False


@pytest.mark.parametrize("value, expected", [
    (None, None), ("7", 7.0), (" 2.5 ", 2.5), ("-3", 0.0), ("soon", None),
    (formatdate(WALL_EPOCH + 12, usegmt=True), 12.0), (formatdate(WALL_EPOCH - 60, usegmt=True), 0.0),
])
def test_parse_retry_after(value, expected):
    assert retries.parse_retry_after(value, lambda: WALL_EPOCH) == expected


def test_refusal_names_the_budget_and_the_retry_after_limit():
    policy = retries.RetryPolicy(max_retries=2, rng=lambda: 1.0, wall_clock=lambda: WALL_EPOCH)
    assert policy.refusal(0, None) is None and policy.refusal(1, retries.RETRY_AFTER_LIMIT) is None
    assert policy.refusal(2, None) == "the retry budget ran out after 2 retries (max_retries=2)"
    assert policy.refusal(0, 3600.0) == "the server asked to retry after 3600 s, longer than the 300 s this client waits"
    assert (policy.delay(3, None), policy.delay(3, 7.0)) == (4.0, 7.0)
    assert policy.retry_after({"Retry-After": "9"}) == 9.0 and policy.retry_after({}) is None
