# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""resources.py: ECS servers, EVS volumes, RDS/DDS instances and CCE clusters through their lifecycles."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator


def url(sim, prefix, path):
    return "%s/%s%s" % (sim.url, prefix, path.format(project_id=sim.project_id))


def get(api, sim, prefix, path, **params):
    return api.session.get(url(sim, prefix, path), params=params, headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=10)


def test_ecs_server_builds_settles_then_is_active_and_is_gone_after_its_delete_job(api, sim, sim_clock):
    sim.resources.configure(settle_for=10, linger=4)
    job = sim.create_job("ecs", duration=20, subjobs=2)
    first, second = sim.job(job)["entity_ids"]
    path = "/v1/{project_id}/cloudservers/" + first

    statuses = []
    for step in (0, 25, 10):
        sim_clock.advance(step)
        statuses.append(get(api, sim, "ecs", path).json()["server"]["status"])
    deleted = api.session.post(url(sim, "ecs", "/v1/{project_id}/cloudservers/delete"), json={"servers": [{"id": first}, {"id": second}]},
                               headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=10)
    delete_job = deleted.json()["job_id"]
    during = get(api, sim, "ecs", path).json()["server"]["status"]
    sim_clock.advance(sim.job(delete_job)["duration"] + 1)
    after_job = get(api, sim, "ecs", path).json()["server"]["status"]
    sim_clock.advance(5)
    gone = get(api, sim, "ecs", path)

    # BUILD while the job runs and for settle_for after it, then ACTIVE (Terraform waits for exactly this).
    assert statuses == ["BUILD", "BUILD", "ACTIVE"]
    assert sim.job(delete_job)["entity_ids"] == [first, second] and sim.job(delete_job)["name"] == "deleteServer"
    assert (during, after_job) == ("ACTIVE", "DELETED")
    assert gone.status_code == 404
    assert gone.json() == {"error": {"code": "Ecs.0114", "message": "Instance[%s] could not be found." % first}}


def test_ecs_server_of_a_failed_job_and_a_broken_one_show_error_with_a_fault(api, sim, sim_clock):
    failed = sim.job(sim.create_job("ecs", duration=5, outcome="failure", fail_reason="No capacity"))["entity_ids"][0]
    healthy = sim.job(sim.create_job("ecs", duration=5))["entity_ids"][0]
    sim.resources.break_(healthy, after=10, fault={"message": "host down"})
    sim_clock.advance(6)
    before = get(api, sim, "ecs", "/v1/{project_id}/cloudservers/" + healthy).json()["server"]
    sim_clock.advance(10)

    failed_server = get(api, sim, "ecs", "/v1/{project_id}/cloudservers/" + failed).json()["server"]
    broken = get(api, sim, "ecs", "/v1/{project_id}/cloudservers/" + healthy).json()["server"]

    assert before["status"] == "ACTIVE" and "fault" not in before
    assert failed_server["status"] == "ERROR" and failed_server["fault"]["message"] == "No capacity"
    assert broken["status"] == "ERROR" and broken["fault"]["message"] == "host down"


def test_evs_volume_deleting_then_404(api, sim, sim_clock):
    volume = sim.job(sim.create_job("evs", duration=3))["instance_id"]
    sim_clock.advance(4)
    ready = get(api, sim, "evs", "/v2/{project_id}/cloudvolumes/" + volume).json()["volume"]["status"]
    deleted = api.session.delete(url(sim, "evs", "/v2/{project_id}/cloudvolumes/" + volume),
                                 headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=10)
    during = get(api, sim, "evs", "/v2/{project_id}/cloudvolumes/" + volume).json()["volume"]["status"]
    sim_clock.advance(sim.job(deleted.json()["job_id"])["duration"] + 0.1)
    gone = get(api, sim, "evs", "/v2/{project_id}/cloudvolumes/" + volume)

    assert (ready, during) == ("available", "deleting")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "EVS.5404"


def test_rds_instance_listing_and_deletion_is_an_empty_list_never_a_404(api, sim, sim_clock):
    instance = sim.job(sim.create_job("rds", duration=3))["instance_id"]
    bad = sim.job(sim.create_job("rds", duration=3, outcome="failure"))["instance_id"]
    sim_clock.advance(4)
    listed = get(api, sim, "rds", "/v3/{project_id}/instances").json()
    deleted = api.session.delete(url(sim, "rds", "/v3/{project_id}/instances/" + instance),
                                 headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=10)
    sim_clock.advance(sim.job(deleted.json()["job_id"])["duration"] + 0.1)
    gone = get(api, sim, "rds", "/v3/{project_id}/instances", id=instance)

    assert dict((i["id"], i["status"]) for i in listed["instances"]) == {instance: "ACTIVE", bad: "FAILED"}
    assert deleted.status_code == 202
    assert gone.status_code == 200 and gone.json() == {"instances": [], "total_count": 0}


def test_dds_and_cce_made_here_build_then_are_ready_and_go(api, sim, sim_clock):
    dds = sim.resources.create("dds", build_for=5)
    cce = sim.resources.create("cce", build_for=5)
    building = (get(api, sim, "dds", "/v3/{project_id}/instances", id=dds).json()["instances"][0]["status"],
                get(api, sim, "cce", "/api/v3/projects/{project_id}/clusters/" + cce).json()["status"]["phase"])
    sim_clock.advance(6)
    ready = (get(api, sim, "dds", "/v3/{project_id}/instances", id=dds).json()["instances"][0]["status"],
             get(api, sim, "cce", "/api/v3/projects/{project_id}/clusters/" + cce).json()["status"]["phase"])
    api.session.delete(url(sim, "dds", "/v3/{project_id}/instances/" + dds), headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=10)
    sim.resources.delete(cce, duration=2)
    sim_clock.advance(4)
    dds_gone = get(api, sim, "dds", "/v3/{project_id}/instances", id=dds).json()
    dds_again = api.session.delete(url(sim, "dds", "/v3/{project_id}/instances/" + dds),
                                   headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=10)
    cce_gone = get(api, sim, "cce", "/api/v3/projects/{project_id}/clusters/" + cce)

    assert building == ("creating", "Creating") and ready == ("normal", "Available")
    assert dds_gone == {"instances": [], "total_count": 0}
    assert dds_again.status_code == 400 and dds_again.json()["error_code"] == "DBS.280110", dds_again.json()
    # CCE answers like Kubernetes, its own code in errorCode (extra_services.py).
    assert cce_gone.status_code == 404 and cce_gone.json()["errorCode"] == "CCE.01404001"


def test_a_kept_resource_never_goes(api, sim, sim_clock):
    server = sim.job(sim.create_job("ecs", duration=1))["entity_ids"][0]
    sim_clock.advance(2)
    sim.resources.keep(server)
    api.session.post(url(sim, "ecs", "/v1/{project_id}/cloudservers/delete"), json={"servers": [{"id": server}]},
                     headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=10)
    sim_clock.advance(3600)

    assert get(api, sim, "ecs", "/v1/{project_id}/cloudservers/" + server).json()["server"]["status"] == "ACTIVE"


def test_unknown_paths_on_the_new_prefixes_are_gateway_404s(api, sim):
    answer = get(api, sim, "cce", "/api/v3/projects/{project_id}/nothing")
    assert answer.status_code == 404 and answer.json()["error_code"] == "APIGW.0101"
