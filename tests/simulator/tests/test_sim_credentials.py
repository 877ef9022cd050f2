# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM projects, agency keys, ECS metadata keys and the gateway's refusal of expired temporary keys
(credentials.py), signed with huaweicloudsdkcore, never the collection's signer."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from sim_fixtures import api, sdk_sign, signed  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

STS = "/v3.0/OS-CREDENTIAL/securitytokens"
TASKLIST = "/v3/{project_id}/tasklist"
KEYS = "/openstack/latest/securitykey"
SESSION = "/meta-data/latest/api/token"


def assume_role(**role):
    return json.dumps({"auth": {"identity": {"methods": ["assume_role"], "assume_role": dict(
        {"agency_name": "sim-agency", "domain_name": "sim-other-domain"}, **role)}}})


def test_projects_are_listed_by_exact_name(sim, api):
    answer = api.get("iam", "/v3/projects", params={"name": sim.region})
    assert answer.status_code == 200 and answer.headers["X-IAM-Trace-Id"]
    assert [project["id"] for project in answer.json()["projects"]] == [sim.project_id]
    sub = api.ok_json("iam", "/v3/projects", params={"name": sim.region + "_sub"})["projects"]
    assert [project["name"] for project in sub] == [sim.region + "_sub"]
    assert api.get("iam", "/v3/projects", params={"name": sim.region}, token=False).status_code == 401


def test_project_listing_accepts_aksk(sim, signed):
    pytest.importorskip("huaweicloudsdkcore")
    answer = signed("GET", "iam", "/v3/projects", query=[("name", sim.region)])
    assert answer.status_code == 200 and answer.json()["projects"][0]["id"] == sim.project_id


def test_agency_keys_work_until_they_expire(sim, sim_clock, signed):
    pytest.importorskip("huaweicloudsdkcore")
    sim.configure_credentials(sts_ttl=60)
    issued = signed("POST", "iam", STS, body=assume_role())
    assert issued.status_code == 201, issued.text
    credential = issued.json()["credential"]
    assert credential["expires_at"].endswith("Z") and "." in credential["expires_at"]
    temporary = {"access_key": credential["access"], "secret_key": credential["secret"]}

    def call(token=credential["securitytoken"]):
        headers = {"X-Security-Token": token} if token else {}
        url, sent, body = sdk_sign(sim, "GET", "rds", TASKLIST, headers=headers, credentials=temporary)
        return requests.get(url, headers=sent, data=body, timeout=10)

    assert call().status_code == 200
    assert call(token=None).status_code == 401
    sim_clock.advance(61)
    expired = call()
    assert (expired.status_code, expired.json()["error_code"]) == (401, "APIGW.0307")
    assert sim.credential_book.snapshot()["counts"]["refused_expired"] == 1


@pytest.mark.parametrize("role, status", [
    ({"agency_name": "other"}, 403),
    ({"duration_seconds": 60}, 400),
])
def test_bad_agency_requests_are_refused(signed, role, status):
    pytest.importorskip("huaweicloudsdkcore")
    assert signed("POST", "iam", STS, body=assume_role(**role)).status_code == status


def test_agency_keys_need_a_signature(sim, api):
    assert api.post("iam", STS, json_body=json.loads(assume_role()), token=False).status_code == 401


def test_metadata_without_agency_says_so(api):
    answer = api.get("metadata", KEYS, token=False)
    assert answer.status_code == 401 and "Please configure Cloud Service Agency first" in answer.text


def test_metadata_keys_rotate_after_half_their_life(sim, sim_clock, api):
    sim.configure_credentials(metadata_agency=True, metadata_ttl=100)
    session = api.call("PUT", "metadata", SESSION, token=False)
    assert session.status_code == 200 and session.text
    first = api.get("metadata", KEYS, token=False, headers={"X-Metadata-Token": session.text}).json()["credential"]
    assert "." not in first["expires_at"]
    sim_clock.advance(40)
    assert api.get("metadata", KEYS, token=False).json()["credential"]["access"] == first["access"]
    sim_clock.advance(20)
    assert api.get("metadata", KEYS, token=False).json()["credential"]["access"] != first["access"]
    assert api.get("metadata", KEYS, token=False, headers={"X-Metadata-Token": "forged"}).status_code == 401


def test_metadata_without_the_session_token_api(sim, api):
    sim.configure_credentials(metadata_agency=True, metadata_token_api=False)
    assert api.call("PUT", "metadata", SESSION, token=False).status_code == 404
    assert api.get("metadata", KEYS, token=False).status_code == 200


def test_the_control_api_sets_and_shows_the_knobs(sim):
    answer = requests.post(sim.url + "/_sim/credentials", json={"sts_ttl": 30, "projects": []}, timeout=10).json()
    assert answer["sts_ttl"] == 30 and answer["projects"] == []
    assert requests.get(sim.url + "/_sim/credentials", timeout=10).json()["issued"] == []
