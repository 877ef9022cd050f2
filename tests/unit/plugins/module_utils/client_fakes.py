# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scripted network of the client tests (test_client, test_auth, test_retries): a fake
requests.Session, canned responses and ``make_client`` on the shared ``fake_clock``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import json
import ssl
from types import SimpleNamespace

import requests
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError
from urllib3.exceptions import SSLError as Urllib3SSLError

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig

WALL_EPOCH = calendar.timegm((2026, 3, 4, 5, 6, 7, 0, 0, 0))
PATH = "/v3/{project_id}/tasklist"
EXPIRED = {"error_code": "APIGW.0307", "error_msg": "The token must be updated."}
# A self-signed CA certificate: what cacert_file must hold (ClientConfig loads it; nothing verifies against it here).
CA_PEM = """-----BEGIN CERTIFICATE-----
MIIBQTCB6KADAgECAgEBMAoGCCqGSM49BAMCMCAxHjAcBgNVBAMMFXRhc2tnYXRl
IHVuaXQtdGVzdCBDQTAeFw0yNjAxMDEwMDAwMDBaFw0zNTEyMzAwMDAwMDBaMCAx
HjAcBgNVBAMMFXRhc2tnYXRlIHVuaXQtdGVzdCBDQTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABPB2F5IoZp3Xe9gef0UBOuho5RzFMImPrTteIV1YhbMmVM+HIxyI
efOPbbHEOuuV1es5au9c7WGBQ78OTfHnvyKjEzARMA8GA1UdEwEB/wQFMAMBAf8w
CgYIKoZIzj0EAwIDSAAwRQIhAMesltd2TT6/fnfaJZUnq+WaMVddaNRfih5ArWkb
ixxtAiAGlcUIZPSAd4KmZmqolTc5T+OSmPk4KvWM3SohFAz1Vw==
-----END CERTIFICATE-----
"""
PASSWORD_AUTH = {"auth_token": None, "user_name": "alice", "password": "Pa55-word!", "domain_name": "acme"}


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
                                          verify=verify, allow_redirects=allow_redirects,
                                          at=self.clock() if self.clock is not None else None))
        if self.clock is not None:
            self.clock.advance(self.elapsed)
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


def cert_refused(verify_code=18, verify_message="self-signed certificate"):
    """A refused certificate, wrapped the way requests raises it (requests.SSLError > MaxRetryError > urllib3
    SSLError > ssl.SSLCertVerificationError with OpenSSL's verify code and message)."""
    cert = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: %s (_ssl.c:1006)"
                                        % verify_message)
    cert.verify_code, cert.verify_message = verify_code, verify_message
    return requests.exceptions.SSLError(MaxRetryError(None, "/x", Urllib3SSLError(cert)))


def handshake_failed():
    """A TLS failure that is not about the certificate (here: plain HTTP on the other end)."""
    return requests.exceptions.SSLError(MaxRetryError(None, "/x", Urllib3SSLError(
        ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"))))


def iam_token(token="IAM-TOKEN-1", project_id="learnt-proj", expires_at="2026-03-05T05:06:07.000000Z"):
    return reply(201, {"token": {"expires_at": expires_at, "project": {"id": project_id, "name": "eu-west-101"}}},
                 {"X-Subject-Token": token, "X-Request-Id": "iam-rid"})


def make_client(clock, script, rng=lambda: 0.5, elapsed=0.0, **params):
    """A Client on ``clock`` (the fake_clock fixture) whose session plays ``script``; each request takes ``elapsed`` s."""
    values = {"region": "eu-west-101", "project_id": "proj1", "auth_token": "TOKEN-static-123"}
    values.update(params)
    for key in [key for key, value in values.items() if value is None]:
        del values[key]
    session = FakeSession(script, clock=clock, elapsed=elapsed)
    client = Client(ClientConfig.from_params(values), clock=clock, sleep=clock.sleep, rng=rng, session=session,
                    wall_clock=lambda: WALL_EPOCH)
    return client, session, clock
