# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""website.py: an account refused by BSS's Chinese website is sent to the international one, and remembered."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import website
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, AuthError

BSS = service_entry("bss_order")
CLOUD = "myhuaweicloud.com"
DEFAULT = "https://bss.myhuaweicloud.com"
INTL = "https://bss-intl.myhuaweicloud.com"


@pytest.fixture(autouse=True)
def fresh_cache():
    website.clear_website_cache()
    yield
    website.clear_website_cache()


def refused(code="CBC.0150", status=403):
    return AuthError(status=status, error_code=code, error_msg="Access denied.")


@pytest.mark.parametrize("code", ["CBC.0150", "CBC.0156"])
def test_a_cross_website_refusal_switches_to_the_intl_host_and_is_remembered_per_credential(code):
    assert website.international_base(BSS, CLOUD, "token:a") is None
    assert website.switch_website(BSS, CLOUD, "token:a", DEFAULT, refused(code)) == INTL
    assert website.international_base(BSS, CLOUD, "token:a") == INTL
    assert website.international_base(BSS, CLOUD, "token:b") is None  # another credential: another account


@pytest.mark.parametrize("err", [refused("CBC.0100"), refused(status=400), ApiError(status=403, error_code=None)])
def test_other_answers_switch_nothing(err):
    assert website.switch_website(BSS, CLOUD, "token:a", DEFAULT, err) is None
    assert website.international_base(BSS, CLOUD, "token:a") is None


def test_a_refusal_by_the_intl_host_itself_is_not_sent_again():
    assert website.switch_website(BSS, CLOUD, "token:a", INTL, refused()) is None


def test_only_the_default_cloud_and_only_bss_switch():
    assert website.switch_website(BSS, "example.com", "token:a", "https://bss.example.com", refused()) is None
    assert website.switch_website(service_entry("rds"), CLOUD, "token:a", "https://rds.x", refused()) is None
    assert not website.cross_website(service_entry("rds"), refused())
