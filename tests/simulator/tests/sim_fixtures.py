# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the simulator's own tests: an HTTP helper and an AK/SK signer.

Not a conftest.py on purpose: fixtures that only these tests use stay out of every other test's
namespace. Test files import them by name.

Requests are signed with huaweicloudsdkcore's signer (never the collection's), so the
simulator's independent verifier is checked against the reference implementation.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import types

import pytest
import requests


# `sim` and `sim_clock` come from tests/simulator/pytest_plugin.py (a ManualClock starting "now" in whole
# seconds: AK/SK requests are signed with the real time, so tests assert relative times).


class Api:
    """A tiny client for the simulator: token auth by default, paths with {project_id}."""

    def __init__(self, server):
        self.sim = server
        self.session = requests.Session()

    def url(self, service, path):
        return self.sim.all_endpoints[service] + path.format(project_id=self.sim.project_id)

    def call(self, method, service, path, params=None, json_body=None, headers=None, token=True):
        sent = {"X-Auth-Token": self.sim.credentials["auth_token"]} if token else {}
        sent.update(headers or {})
        return self.session.request(method, self.url(service, path), params=params, json=json_body, headers=sent, timeout=10)

    def get(self, service, path, **kwargs):
        return self.call("GET", service, path, **kwargs)

    def post(self, service, path, **kwargs):
        return self.call("POST", service, path, **kwargs)

    def ok_json(self, service, path, **kwargs):
        response = self.get(service, path, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def api(sim):
    client = Api(sim)
    yield client
    client.session.close()


def sdk_sign(server, method, service, path, query=(), body="", headers=None, credentials=None):
    """Sign with huaweicloudsdkcore; returns (url, headers, body bytes) ready for requests."""
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    creds = credentials or server.credentials
    header_params = {"Content-Type": "application/json"}
    header_params.update(headers or {})
    host = "127.0.0.1:%d" % server.port
    request = SdkRequest(method=method, schema="http", host=host,
                         resource_path="/%s%s" % (service, path.format(project_id=server.project_id)),
                         query_params=list(query), header_params=header_params, body=body)
    Signer(types.SimpleNamespace(ak=creds["access_key"], sk=creds["secret_key"])).sign(request)
    return "http://%s%s" % (host, request.uri), dict(request.header_params), request.body or b""


@pytest.fixture
def signed(sim):
    """signed(method, service, path, query=(), body="", headers=None) -> requests.Response."""
    session = requests.Session()

    def send(method, service, path, query=(), body="", headers=None, tamper=None):
        url, sent_headers, sent_body = sdk_sign(sim, method, service, path, query=query, body=body, headers=headers)
        if tamper:
            url, sent_headers, sent_body = tamper(url, sent_headers, sent_body)
        return session.request(method, url, headers=sent_headers, data=sent_body, timeout=10)

    yield send
    session.close()
