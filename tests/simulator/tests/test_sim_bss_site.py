# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two BSS websites (bss_site.py): each host answers only the account of its own website."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

ORDER = "/v2/orders/customer-orders/details/"
RESOURCES = "/v2/orders/suscriptions/resources/query"
REFUSED = {"error_code": "CBC.0150", "error_msg": "Access denied. The customer does not belong to the website you are now at."}


def _answers(sim, api, order_id):
    intl_url = sim.url + "/bss_intl"
    token = {"X-Auth-Token": sim.credentials["auth_token"]}
    return {
        "bss": api.get("bss_order", ORDER + order_id),
        "bss_intl": api.session.get(intl_url + ORDER + order_id, headers=token, timeout=10),
        "bss_intl_resources": api.session.post(intl_url + RESOURCES, json={"order_id": order_id, "only_main_resource": 1},
                                               headers=token, timeout=10),
    }


def test_an_account_of_the_chinese_website_is_refused_on_the_intl_host(sim, api):
    answers = _answers(sim, api, sim.create_job("bss_order", duration=10))

    assert answers["bss"].status_code == 200
    assert (answers["bss_intl"].status_code, answers["bss_intl"].json()) == (403, REFUSED)
    assert answers["bss_intl_resources"].status_code == 403


def test_an_international_account_is_refused_on_bss_and_served_on_bss_intl(sim, api, sim_clock):
    sim.state.configure(international_account=1)
    order_id = sim.create_job("bss_order", duration=10)
    sim_clock.advance(60)

    answers = _answers(sim, api, order_id)

    assert (answers["bss"].status_code, answers["bss"].json()) == (403, REFUSED)
    assert answers["bss_intl"].json()["order_info"]["order_id"] == order_id
    assert answers["bss_intl_resources"].json()["total_count"] == 1
