# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""This host's clock against the cloud's: AK/SK signatures past 15 minutes of skew are refused, and the
error says so (by how much, which way, what to do); token and password auth do not care."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import AuthError
from ansible_collections.taskgate.huaweicloud.plugins.modules import task_info
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

from support import run_module_main, token_params

pytestmark = [pytest.mark.simulator, pytest.mark.usefixtures("fresh_token_cache")]

PATH = "/v3/{project_id}/tasklist"


def auth_params(sim, mode):
    params = token_params(sim)
    creds = sim.credentials
    if mode == "token":
        return params
    del params["auth_token"]
    if mode == "aksk":
        params.update(access_key=creds["access_key"], secret_key=creds["secret_key"])
    else:
        params.update(user_name=creds["user_name"], password=creds["password"], domain_name=creds["domain_name"])
    return params


def client_for(sim, sim_clock, mode):
    # sim_clock is this host's clock; the cloud's is sim_clock + clock_offset.
    sleeps = []
    return Client(ClientConfig.from_params(auth_params(sim, mode)), clock=sim_clock.time, sleep=sleeps.append,
                  wall_clock=sim_clock.time)


@pytest.mark.parametrize("offset, minutes, direction", [
    (3600, 60, "behind"), (-3600, 60, "ahead of"), (-1000, 17, "ahead of"),
])
def test_aksk_refused_for_skew_says_by_how_much_and_what_to_do(sim, sim_clock, offset, minutes, direction):
    sim.configure(clock_offset=offset)
    client = client_for(sim, sim_clock, "aksk")
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    message = str(info.value)
    assert "APIGW.0301" in message and "signature expired" in message   # the gateway's own words stay
    assert "this host's clock is %d minutes %s the cloud's" % (minutes, direction) in message, message
    assert "past 15 minutes" in message and "NTP" in message and "auth_token" in message
    assert "check access_key/secret_key" not in message   # the keys are fine: no false lead
    assert client.stats["requests"] == 1 and client.stats["retries"] == 0


@pytest.mark.parametrize("code", ["APIGW.0301", "APIGW.0303"])
def test_both_gateway_wordings_are_recognised(sim, sim_clock, code):
    sim.configure(clock_offset=7200, skew_error_code=code)
    with pytest.raises(AuthError) as info:
        client_for(sim, sim_clock, "aksk").request(service_entry("rds"), "GET", PATH)
    assert "this host's clock is 120 minutes behind the cloud's" in str(info.value)


@pytest.mark.parametrize("offset", [300, -300, 840])
def test_aksk_within_the_window_works(sim, sim_clock, offset):
    sim.configure(clock_offset=offset)
    assert client_for(sim, sim_clock, "aksk").request(service_entry("rds"), "GET", PATH).status == 200


@pytest.mark.parametrize("mode", ["token", "password"])
@pytest.mark.parametrize("offset", [3600, -3600])
def test_token_auth_does_not_depend_on_the_clock(sim, sim_clock, mode, offset):
    sim.configure(clock_offset=offset)
    assert client_for(sim, sim_clock, mode).request(service_entry("rds"), "GET", PATH).status == 200


def test_module_failure_carries_the_skew_message(sim, sim_clock, capsys):
    sim.configure(clock_offset=-3600)
    args = dict(auth_params(sim, "aksk"), service="rds", status="Running")
    result = run_module_main(task_info.main, args, capsys)
    assert result["failed"] is True and result["error"]["type"] == "AuthError" and result["error"]["status"] == 401
    assert "this host's clock is 60 minutes ahead of the cloud's" in result["msg"]
    assert sim.credentials["secret_key"] not in str(result)


def test_other_aksk_refusals_keep_the_credentials_advice(sim, sim_clock):
    params = dict(auth_params(sim, "aksk"), secret_key="not-the-secret")
    client = Client(ClientConfig.from_params(params), clock=sim_clock.time, wall_clock=sim_clock.time)
    with pytest.raises(AuthError) as info:
        client.request(service_entry("rds"), "GET", PATH)
    assert "check access_key/secret_key" in str(info.value)
    assert "clock is" not in str(info.value) and "NTP" not in str(info.value)
