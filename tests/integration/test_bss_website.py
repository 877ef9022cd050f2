# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""BSS orders of an account of the international website (api-notes.md, "Prepaid orders"; website.py),
against the simulator's two BSS hosts (tests/simulator/bss_site.py), in-process on its ManualClock.

The collection's default hosts (``https://bss.myhuaweicloud.com``, ``https://bss-intl.myhuaweicloud.com``)
reach the simulator through ``LoopbackHosts``, the test's stand-in for DNS: it sends each default host's
requests to its alias on the simulator and refuses any other address, so nothing leaves loopback.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import urlsplit

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import HAS_REQUESTS, clear_website_cache

from support import wait_params

if HAS_REQUESTS:
    import requests

pytestmark = pytest.mark.simulator

BSS = "https://bss.myhuaweicloud.com"
BSS_INTL = "https://bss-intl.myhuaweicloud.com"


class LoopbackHosts(requests.Session if HAS_REQUESTS else object):
    """A real session whose default BSS hosts are the simulator's aliases; ``hosts`` lists the hosts asked."""

    def __init__(self, aliases):
        super(LoopbackHosts, self).__init__()
        self.aliases = aliases
        self.hosts = []

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        origin = "%s://%s" % (parts.scheme, parts.netloc)
        if origin not in self.aliases:
            assert parts.hostname == "127.0.0.1", "a request to %s would leave loopback" % url
            return super(LoopbackHosts, self).request(method, url, *args, **kwargs)
        self.hosts.append(parts.netloc)
        return super(LoopbackHosts, self).request(method, self.aliases[origin] + url[len(origin):], *args, **kwargs)


@pytest.fixture(autouse=True)
def fresh_website_cache():
    """No account remembered as international by an earlier test (the cache is process-wide)."""
    clear_website_cache()
    yield
    clear_website_cache()


def _hosts(sim, cloud="myhuaweicloud.com"):
    return LoopbackHosts({"https://bss.%s" % cloud: sim.url + "/bss_order", "https://bss-intl.%s" % cloud: sim.url + "/bss_intl"})


def _default_bss_params(sim, order_id, **options):
    """wait_for_task on the order with no endpoints.bss_order: the collection builds the BSS host itself."""
    params = wait_params(sim, "bss_order", id=order_id, **options)
    params["endpoints"] = dict((key, url) for key, url in params["endpoints"].items() if key != "bss_order")
    return params


def test_an_international_account_goes_to_bss_intl_and_stays_there(sim, sim_time):
    sim.state.configure(international_account=1)
    order_id = sim.create_job("bss_order", duration=20)
    session = _hosts(sim)

    result = sim_time.run(_default_bss_params(sim, order_id), session=session)

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["tasks"][0]["resource_ids"]
    # One refused call on the default host, then every call (the order and its resources) on the intl one.
    assert session.hosts[0] == urlsplit(BSS).netloc
    assert set(session.hosts[1:]) == {urlsplit(BSS_INTL).netloc} and len(session.hosts) > 2

    # Remembered for the process: the next wait asks the intl host at once.
    again = _hosts(sim)
    result = sim_time.run(_default_bss_params(sim, sim.create_job("bss_order", duration=5)), session=again)
    assert result["outcome"] == "succeeded", result["msg"]
    assert set(again.hosts) == {urlsplit(BSS_INTL).netloc}


def test_an_account_of_the_chinese_website_stays_on_bss(sim, sim_time):
    order_id = sim.create_job("bss_order", duration=20)
    session = _hosts(sim)

    result = sim_time.run(_default_bss_params(sim, order_id), session=session)

    assert result["outcome"] == "succeeded", result["msg"]
    assert set(session.hosts) == {urlsplit(BSS).netloc}


def test_an_endpoint_the_user_set_is_never_overridden(sim, sim_time):
    sim.state.configure(international_account=1)
    order_id = sim.create_job("bss_order", duration=20)
    session = _hosts(sim)

    result = sim_time.run(wait_params(sim, "bss_order", id=order_id), session=session)

    assert result["outcome"] == "error"
    assert result["error"]["error_code"] == "CBC.0150" and result["error"]["status"] == 403
    assert "set endpoints.bss_order" in result["msg"] and BSS_INTL in result["msg"]
    assert session.hosts == [] and sim.stats()["by_endpoint"].get("GET bss_intl /v2/orders/customer-orders/details/{order_id}") is None


def test_another_cloud_is_not_switched_to_bss_intl(sim, sim_time):
    # Terraform switches on its default cloud only (the intl host is named for myhuaweicloud.com).
    sim.state.configure(international_account=1)
    order_id = sim.create_job("bss_order", duration=20)
    session = _hosts(sim, cloud="example.com")

    result = sim_time.run(_default_bss_params(sim, order_id, cloud="example.com"), session=session)

    assert result["outcome"] == "error" and result["error"]["error_code"] == "CBC.0150"
    assert set(session.hosts) == {"bss.example.com"}
    assert "set endpoints.bss_order" in result["msg"]
