# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials the way pipelines carry them, against the simulator: project_id from the region, agency
(assume_role) keys, ECS metadata keys, KooCLI profiles, the precedence between them, and no secret in
any output. Waits run on the simulator's ManualClock: key expiry happens without real time passing."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import socket
import time

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig, clear_project_cache
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.project_lookup import project_for_region
from ansible_collections.taskgate.huaweicloud.plugins.modules import task_info

from support import run_module_main, wait_params

pytestmark = [pytest.mark.simulator, pytest.mark.usefixtures("fresh_token_cache", "fresh_project_cache")]

RDS = service_entry("rds")
PROJECTS = "GET iam /v3/projects"
STS = "POST iam /v3.0/OS-CREDENTIAL/securitytokens"
ENV_NAMES = ("HW_REGION_NAME", "HW_PROJECT_ID", "HW_AUTH_TOKEN", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN",
             "HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME", "HW_SHARED_CONFIG_FILE", "HW_PROFILE",
             "HW_ASSUME_ROLE_AGENCY_NAME", "HW_ASSUME_ROLE_DOMAIN_NAME", "HW_ASSUME_ROLE_DOMAIN_ID",
             "HW_ASSUME_ROLE_DURATION")


@pytest.fixture
def fresh_project_cache():
    clear_project_cache()
    yield
    clear_project_cache()


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def region_only(sim, mode):
    """Connection options without project_id: AK/SK, a token, or nothing (the ECS metadata keys)."""
    params = {"region": sim.region, "endpoints": dict(sim.endpoints)}
    creds = sim.credentials
    if mode == "aksk":
        params.update(access_key=creds["access_key"], secret_key=creds["secret_key"])
    elif mode == "token":
        params.update(auth_token=creds["auth_token"])
    return params


def waiting(sim, params, **options):
    merged = dict(wait_params(sim, "ecs"), project_id=None, auth_token=None)
    merged.update(params)
    merged.update(options)
    return merged


CREDENTIAL_CALLS = ("GET iam", "POST iam", "GET metadata", "PUT metadata")


def job_calls(sim):
    return sum(count for key, count in sim.stats()["by_endpoint"].items() if not key.startswith(CREDENTIAL_CALLS))


def agency(**extra):
    return dict({"agency_name": "sim-agency", "domain_name": "sim-other-domain"}, **extra)


def write_profile(tmp_path, profiles, current=None):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"current": current or profiles[0]["name"], "profiles": profiles}))
    return str(path)


def aksk_profile(sim, name="dev", **extra):
    creds = sim.credentials
    return dict({"name": name, "mode": "AKSK", "accessKeyId": creds["access_key"], "secretAccessKey": creds["secret_key"],
                 "region": sim.region}, **extra)


# ---- project_id from the region -------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["aksk", "token"])
def test_a_region_only_wait_finds_the_project_in_one_request(sim, sim_time, mode):
    ids = [sim.create_job("ecs", duration=60) for _unused in range(12)]

    result = sim_time.run(waiting(sim, region_only(sim, mode), id=ids))

    assert result["outcome"] == "succeeded", result.get("msg")
    assert sim.stats()["by_endpoint"][PROJECTS] == 1, "12 ids, many polls, one project lookup"
    assert job_calls(sim) >= 24


@pytest.mark.parametrize("projects, fragments", [
    ([], ["no project named ap-southeast-1", "project_id (HW_PROJECT_ID)", "region (HW_REGION_NAME)", "IAM trace id"]),
    ([{"id": "p1", "name": "ap-southeast-1"}, {"id": "p2", "name": "ap-southeast-1"}],
     ["2 projects are named ap-southeast-1 (p1, p2", "set project_id (HW_PROJECT_ID)"]),
])
def test_no_or_several_projects_fail_before_any_job_call(sim, sim_time, projects, fragments):
    sim.configure_credentials(projects=projects)
    job_id = sim.create_job("ecs", duration=60)

    result = sim_time.run(waiting(sim, region_only(sim, "aksk"), id=job_id))

    assert result["failed"] and result["outcome"] == "error"
    for fragment in fragments:
        assert fragment in result["msg"]
    assert (result["error"]["type"], result["error"]["option"]) == ("InvalidInput", "project_id")
    assert sim.stats()["by_endpoint"][PROJECTS] == 1 and job_calls(sim) == 0


def test_a_sub_project_is_found_by_its_full_name_on_the_region_endpoints(sim):
    sub = [project for project in sim.credential_book.snapshot()["projects"] if project["name"].endswith("_sub")][0]
    params = dict(region_only(sim, "aksk"), region=sub["name"])
    params["endpoints"].pop("rds")
    client = Client(ClientConfig.from_params(params))

    assert project_for_region(client) == sub["id"]
    assert client.endpoint(RDS) == "https://rds.%s.myhuaweicloud.com" % sim.region


# ---- agency keys (assume_role) --------------------------------------------------------------------

def test_an_agency_wait_across_key_expiry_loses_nothing(sim, sim_time):
    sim.configure(clock_offset=30)   # this host's clock a little behind the cloud's, as real clocks are
    sim.configure_credentials(sts_ttl=120)
    ids = [sim.create_job("ecs", duration=d) for d in (200, 400, 600)]

    result = sim_time.run(waiting(sim, region_only(sim, "aksk"), id=ids, assume_role=agency()))

    assert result["outcome"] == "succeeded", result.get("msg")
    assert sorted(task["id"] for task in result["tasks"] if task["phase"] == "succeeded") == sorted(ids)
    counts = sim.credential_book.snapshot()["counts"]
    assert counts["sts_issued"] >= 5, "keys of 120 s over a 600 s wait: renewed again and again"
    assert counts["refused_expired"] == 0, "renewed before expiry: no request was refused"
    assert sim.stats()["by_endpoint"][PROJECTS] == 1


def test_agency_keys_refused_as_expired_are_renewed_once_and_the_poll_is_kept(sim, sim_clock):
    # This host's clock lags the cloud's: the keys look fresh here but the gateway says they expired.
    sim.configure(clock_offset=100)
    sim.configure_credentials(sts_ttl=120)
    job_id = sim.create_job("rds", duration=1000)
    client = Client(ClientConfig.from_params(dict(region_only(sim, "aksk"), assume_role=agency())),
                    clock=sim_clock.time, wall_clock=sim_clock.time, sleep=sim_clock.advance)
    client.request(RDS, "GET", "/v3/{project_id}/jobs", query={"id": job_id})
    sim_clock.advance(140)   # past the keys' expiry for the cloud, not yet their renewal time here

    response = client.request(RDS, "GET", "/v3/{project_id}/jobs", query={"id": job_id})

    assert response.status == 200
    assert sim.credential_book.snapshot()["counts"] == {"sts_issued": 2, "metadata_issued": 0, "refused_expired": 1}
    assert client.stats["auth_refreshes"] == 1


def test_agency_by_domain_id_and_duration_reach_iam(sim, sim_clock):
    domain_id = sim.credential_book.snapshot()["agency"]["domain_id"]
    params = dict(region_only(sim, "token"), project_id=sim.project_id,
                  assume_role={"agency_name": "sim-agency", "domain_id": domain_id, "duration": 3600})
    client = Client(ClientConfig.from_params(params), clock=sim_clock.time, wall_clock=sim_clock.time)

    client.request(RDS, "GET", "/v3/{project_id}/tasklist")

    issued = sim.credential_book.issued()
    assert [record["source"] for record in issued] == ["agency"]
    assert issued[0]["expires"] == pytest.approx(sim.cloud_time() + 3600, abs=1)


def test_an_unknown_agency_fails_with_iam_words_and_what_to_check(sim, sim_clock):
    client = Client(ClientConfig.from_params(dict(region_only(sim, "aksk"), assume_role=agency(agency_name="nope"))),
                    clock=sim_clock.time, wall_clock=sim_clock.time)

    with pytest.raises(Exception) as caught:
        client.request(RDS, "GET", "/v3/{project_id}/tasklist")

    message = str(caught.value)
    assert "HTTP 403" in message and "not authorized" in message and "sim-other-domain/nope" in message and "HW_ASSUME_ROLE_AGENCY_NAME" in message
    assert job_calls(sim) == 0


@pytest.mark.parametrize("role, fragment", [
    ({"agency_name": "a"}, "needs domain_name (HW_ASSUME_ROLE_DOMAIN_NAME) or domain_id"),
    ({"domain_name": "d"}, "assume_role.agency_name (HW_ASSUME_ROLE_AGENCY_NAME) is not"),
    ({"agency_name": "a", "domain_name": "d", "duration": 60}, "from 900 to 86400"),
    ({"agency_name": "a", "domain_name": "d", "role": "x"}, "unknown key 'role'"),
])
def test_bad_assume_role_fails_before_any_request(sim, role, fragment):
    with pytest.raises(InvalidInput) as caught:
        ClientConfig.from_params(dict(region_only(sim, "aksk"), assume_role=role))
    assert fragment in str(caught.value) and caught.value.option == "assume_role"


# ---- ECS metadata keys ----------------------------------------------------------------------------

def test_metadata_keys_expiring_twice_during_a_wait(sim, sim_time):
    sim.configure(clock_offset=30)   # this host's clock a little behind the cloud's, as real clocks are
    sim.configure_credentials(metadata_agency=True, metadata_ttl=240)
    ids = [sim.create_job("ecs", duration=d) for d in (300, 600)]

    result = sim_time.run(waiting(sim, region_only(sim, "metadata"), id=ids))

    assert result["outcome"] == "succeeded", result.get("msg")
    counts = sim.credential_book.snapshot()["counts"]
    assert counts["metadata_issued"] >= 3 and counts["refused_expired"] == 0
    by_endpoint = sim.stats()["by_endpoint"]
    assert by_endpoint["PUT metadata /meta-data/latest/api/token"] == by_endpoint["GET metadata /openstack/latest/securitykey"]


def test_metadata_without_the_session_token_api_is_still_read(sim, sim_clock):
    sim.configure_credentials(metadata_agency=True, metadata_token_api=False)
    client = Client(ClientConfig.from_params(dict(region_only(sim, "metadata"), project_id=sim.project_id)),
                    clock=sim_clock.time, wall_clock=sim_clock.time)
    assert client.request(RDS, "GET", "/v3/{project_id}/tasklist").status == 200


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_listener():
    """A loopback port that accepts connections and never answers (a firewall that swallows them)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield "http://127.0.0.1:%d" % server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("where", ["refused", "silent"])
def test_off_an_ecs_the_metadata_fails_fast_with_what_was_tried(sim, silent_listener, clean_env, capsys, where):
    url = "http://127.0.0.1:%d" % _closed_port() if where == "refused" else silent_listener
    args = dict(region_only(sim, "metadata"), service="rds", id=["x"])
    args["endpoints"]["metadata"] = url

    started = time.monotonic()
    result = run_module_main(task_info.main, args, capsys)
    elapsed = time.monotonic() - started

    assert elapsed < 3.0, "off an ECS the metadata must fail fast, took %.1f s" % elapsed
    assert result["failed"] and result["error"]["type"] == "InvalidInput"
    message = result["msg"]
    assert message.startswith("no credentials found; tried, in order: options and variables: none of auth_token "
                              "(HW_AUTH_TOKEN), access_key and secret_key")
    assert "KooCLI profile: not read" in message
    assert "ECS metadata at %s: %s" % (url, "unreachable" if where == "refused" else "timed out") in message
    assert job_calls(sim) == 0


def test_an_ecs_without_agency_says_so(sim, clean_env, capsys):
    result = run_module_main(task_info.main, dict(region_only(sim, "metadata"), service="rds", id=["x"]), capsys)

    assert result["failed"] and "this ECS has no agency" in result["msg"] and "Please configure Cloud Service Agency" in result["msg"]


# ---- KooCLI profiles ------------------------------------------------------------------------------

def test_an_aksk_profile_gives_keys_region_and_project(sim, sim_clock, tmp_path):
    path = write_profile(tmp_path, [{"name": "other", "mode": "AKSK"}, aksk_profile(sim, projectId=sim.project_id)],
                         current="dev")
    client = Client(ClientConfig.from_params({"shared_config_file": path, "endpoints": sim.endpoints}),
                    clock=sim_clock.time, wall_clock=sim_clock.time)

    assert client.request(RDS, "GET", "/v3/{project_id}/tasklist").status == 200
    assert (client.config.region, client.config.project_id) == (sim.region, sim.project_id)
    assert client.config.credential_source == "profile dev of %s" % path
    assert PROJECTS not in sim.stats()["by_endpoint"]


def test_a_profile_with_agency_fields_assumes_the_agency(sim, sim_clock, tmp_path):
    path = write_profile(tmp_path, [aksk_profile(sim, agencyName="sim-agency", agencyDomainName="sim-other-domain")])
    client = Client(ClientConfig.from_params({"profile": "dev", "shared_config_file": path, "endpoints": sim.endpoints}),
                    clock=sim_clock.time, wall_clock=sim_clock.time)

    assert client.request(RDS, "GET", "/v3/{project_id}/tasklist").status == 200
    assert client.config.auth_method == "agency" and sim.stats()["by_endpoint"][STS] == 1


def test_an_sso_profile_signs_with_its_sts_keys(sim, sim_clock, tmp_path):
    sim.configure(temporary_ak=True)
    creds = sim.credentials
    path = write_profile(tmp_path, [{"name": "sso", "mode": "SSO", "region": sim.region, "projectId": sim.project_id,
                                     "ssoAuth": {"stsToken": {"accessKeyId": creds["access_key"],
                                                              "secretAccessKey": creds["secret_key"],
                                                              "securityToken": creds["security_token"]}}}])
    client = Client(ClientConfig.from_params({"shared_config_file": path, "endpoints": sim.endpoints}),
                    clock=sim_clock.time, wall_clock=sim_clock.time)
    assert client.request(RDS, "GET", "/v3/{project_id}/tasklist").status == 200


@pytest.mark.parametrize("stored", [
    {"accessKeyId": "", "secretAccessKey": ""},
    {"accessKeyId": "hq9Jm+1bX0c2=", "secretAccessKey": "a3F5eGJ0cGx2bW5iZ3dlcnR5dWlvcGFzZGZnaGprbA=="},
])
def test_an_encrypted_profile_says_how_to_store_plain_keys(sim, tmp_path, stored):
    path = write_profile(tmp_path, [dict({"name": "dev", "mode": "AKSK", "region": sim.region}, **stored)])
    with pytest.raises(InvalidInput) as caught:
        ClientConfig.from_params({"shared_config_file": path, "endpoints": sim.endpoints})
    message = str(caught.value)
    assert "hcloud configure set --cli-auth-encrypt=false" in message and "profile dev of %s" % path in message
    assert all(value not in message for value in stored.values() if value)


@pytest.mark.parametrize("content, profile, fragment", [
    (None, None, "The specified shared config file %s does not exist"),
    ("{not json: SECRET-IN-FILE", None, "is not a KooCLI config.json"),
    (json.dumps({"current": "dev", "profiles": [{"name": "dev"}]}), "prod", "Error finding profile prod"),
])
def test_an_unusable_profile_file_is_named(tmp_path, content, profile, fragment):
    path = tmp_path / "config.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InvalidInput) as caught:
        ClientConfig.from_params({"region": "r", "shared_config_file": str(path), "profile": profile})
    assert (fragment % path if "%s" in fragment else fragment) in str(caught.value)
    assert "SECRET-IN-FILE" not in str(caught.value)


def test_an_ecs_agency_profile_reads_the_metadata(sim, sim_clock, tmp_path):
    sim.configure_credentials(metadata_agency=True)
    path = write_profile(tmp_path, [{"name": "ecs", "mode": "ecsAgency", "region": sim.region, "projectId": sim.project_id}])
    client = Client(ClientConfig.from_params({"shared_config_file": path, "endpoints": sim.endpoints}),
                    clock=sim_clock.time, wall_clock=sim_clock.time)
    assert client.request(RDS, "GET", "/v3/{project_id}/tasklist").status == 200
    assert client.config.auth_method == "metadata"


# ---- precedence: option > env > profile > metadata -------------------------------------------------

def _task_info(sim, capsys, **args):
    job_id = sim.create_job("rds", duration=5)
    return run_module_main(task_info.main, dict({"service": "rds", "id": [job_id], "endpoints": sim.endpoints}, **args), capsys)


def test_an_option_wins_over_its_variable(sim, clean_env, capsys, module_process):
    creds = sim.credentials
    clean_env.setenv("HW_ACCESS_KEY", "WRONGACCESSKEY000000")
    clean_env.setenv("HW_SECRET_KEY", "wrong-secret-key-from-env")
    clean_env.setenv("HW_REGION_NAME", sim.region)

    good = _task_info(sim, capsys, access_key=creds["access_key"], secret_key=creds["secret_key"])
    bad = _task_info(sim, capsys)

    assert not good.get("failed"), good.get("msg")
    assert bad["failed"] and bad["error"]["type"] == "AuthError", "without the options the variables are used"


def test_a_variable_wins_over_the_profile(sim, clean_env, capsys, tmp_path, module_process):
    creds = sim.credentials
    path = write_profile(tmp_path, [aksk_profile(sim, accessKeyId="WRONGACCESSKEY000000", secretAccessKey="wrong-secret-in-profile")])
    clean_env.setenv("HW_SHARED_CONFIG_FILE", path)

    bad = _task_info(sim, capsys)
    clean_env.setenv("HW_ACCESS_KEY", creds["access_key"])
    clean_env.setenv("HW_SECRET_KEY", creds["secret_key"])
    good = _task_info(sim, capsys)

    assert bad["failed"] and bad["error"]["type"] == "AuthError", "the profile alone is used"
    assert not good.get("failed"), good.get("msg")
    assert "wrong-secret-in-profile" not in json.dumps(bad)


def test_the_profile_wins_over_the_metadata(sim, clean_env, capsys, tmp_path, module_process):
    sim.configure_credentials(metadata_agency=True)
    clean_env.setenv("HW_PROFILE", "dev")

    with_profile = _task_info(sim, capsys, shared_config_file=write_profile(tmp_path, [aksk_profile(sim)]))
    assert not with_profile.get("failed"), with_profile.get("msg")
    assert sim.credential_book.snapshot()["counts"]["metadata_issued"] == 0

    clean_env.delenv("HW_PROFILE")
    clean_env.setenv("HW_REGION_NAME", sim.region)
    metadata_only = _task_info(sim, capsys)
    assert not metadata_only.get("failed"), metadata_only.get("msg")
    assert sim.credential_book.snapshot()["counts"]["metadata_issued"] == 1


def test_agency_variables_apply_on_top_of_the_variable_keys(sim, clean_env, capsys, module_process):
    creds = sim.credentials
    for name, value in (("HW_REGION_NAME", sim.region), ("HW_ACCESS_KEY", creds["access_key"]),
                        ("HW_SECRET_KEY", creds["secret_key"]), ("HW_ASSUME_ROLE_AGENCY_NAME", "sim-agency"),
                        ("HW_ASSUME_ROLE_DOMAIN_NAME", "sim-other-domain"), ("HW_ASSUME_ROLE_DURATION", "1800")):
        clean_env.setenv(name, value)

    result = _task_info(sim, capsys)

    assert not result.get("failed"), result.get("msg")
    assert sim.stats()["by_endpoint"][STS] == 1
    secrets = [value for record in sim.credential_book.issued() for value in (record["access"], record["secret"], record["token"])]
    assert not [value for value in secrets + [creds["secret_key"]] if value in json.dumps(result)]
