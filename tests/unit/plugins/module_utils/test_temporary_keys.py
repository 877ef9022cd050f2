# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Temporary keys on the wire (temporary_keys.py): the security token is signed, the answers never echoed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import temporary_keys
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ContractError, InvalidInput

from client_fakes import PATH, make_client, ok, refused, reply

RDS = service_entry("rds")
KEYS = {"credential": {"access": "TMPACCESSKEY0000001", "secret": "tmp-secret-key-value-1",
                       "securitytoken": "sec-token-value-1", "expires_at": "2026-03-04T06:06:07Z"}}
METADATA = "http://127.0.0.1:9/md"


def metadata_client(fake_clock, script, **params):
    return make_client(fake_clock, script, auth_token=None, endpoints={"metadata": METADATA}, **params)


def test_the_security_token_is_signed_and_sent(fake_clock):
    client, session, _clock = metadata_client(fake_clock, [reply(200, text="md-token"), reply(200, KEYS), ok()])

    client.request(RDS, "GET", PATH)

    put, get, call = session.calls
    assert (put.method, put.url, put.headers["X-Metadata-Token-Ttl-Seconds"]) == ("PUT", METADATA + "/meta-data/latest/api/token", "21600")
    assert (get.url, get.headers["X-Metadata-Token"]) == (METADATA + "/openstack/latest/securitykey", "md-token")
    assert put.timeout == get.timeout == (1.0, 1.5)
    assert call.headers["X-Security-Token"] == "sec-token-value-1"
    signed = call.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert "x-security-token" in signed and "x-project-id" in signed
    assert "Access=TMPACCESSKEY0000001," in call.headers["Authorization"]


def test_a_metadata_answer_without_keys_is_never_echoed(fake_clock):
    broken = {"credential": {"access": "TMPACCESSKEY0000001", "secret": "tmp-secret-key-value-1"}}
    client, _session, _clock = metadata_client(fake_clock, [reply(404), reply(200, broken)])

    with pytest.raises(ContractError) as caught:
        client.request(RDS, "GET", PATH)

    text = str(caught.value) + json.dumps(caught.value.to_dict())
    assert "credential.securitytoken" in text and "tmp-secret-key-value-1" not in text and "TMPACCESSKEY" not in text


def test_unreachable_metadata_is_tried_once(fake_clock):
    client, session, _clock = metadata_client(fake_clock, [refused()])

    with pytest.raises(InvalidInput) as caught:
        client.request(RDS, "GET", PATH)

    assert len(session.calls) == 1, "off an ECS: no retry, no second call"
    assert "ECS metadata at %s: unreachable" % METADATA in str(caught.value)


@pytest.mark.parametrize("expires_at, epoch", [
    ("2022-10-17T18:51:25.231000Z", 1666032685),
    ("2022-10-17T18:51:25Z", 1666032685),
])
def test_expires_at_with_or_without_fraction(expires_at, epoch):
    answer = {"credential": dict(KEYS["credential"], expires_at=expires_at)}
    assert temporary_keys.keys_from_answer(answer, "x")[3] == epoch


def test_renewal_comes_before_expiry_short_keys_at_a_quarter_of_their_life():
    assert temporary_keys.TemporaryKeys("a", "s", "t", 10000.0, 0.0).renew_at() == 10000.0 - temporary_keys.RENEW_MARGIN
    assert temporary_keys.TemporaryKeys("a", "s", "t", 1200.0, 1000.0).renew_at() == 1150.0
    assert repr(temporary_keys.TemporaryKeys("AK", "SK-secret", "TOKEN", 1.0, 0.0)) == "TemporaryKeys(expires_epoch=1.0)"
