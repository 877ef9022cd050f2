# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""project_id from the region, for the credentials that do not carry one (token, AK/SK, temporary keys).

    project_id = project_for_region(client, deadline)   # one IAM call per process and credential

``GET {iam}/v3/projects?name={region}``, signed like every other call, as the SDK does. Only a project
named exactly after the region counts (a sub-project ``cn-north-4_sub`` is found by giving that full
name as the region). No match, or several, fails before any job call, naming the region and
project_id. The answer is cached per process, keyed by IAM URL, region and who asks (the SDK keys
it by AK and region), so a wait for a thousand ids asks once; concurrent first asks wait for one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import AUTH_ENDPOINT, AUTH_ENTRY
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ContractError, InvalidInput, format_api_message
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.temporary_keys import iam_base_url

PROJECTS_PATH = "/v3/projects"
TRACE_HEADER = "X-IAM-Trace-Id"

_PROJECTS = {}
_PROJECTS_LOCK = threading.Lock()


def clear_project_cache():
    with _PROJECTS_LOCK:
        _PROJECTS.clear()


def _where(response):
    ids = []
    if response.request_id:
        ids.append("request id %s" % response.request_id)
    trace = response.headers.get(TRACE_HEADER) if response.headers is not None else None
    if trace:
        ids.append("IAM trace id %s" % trace)
    return " (%s)" % ", ".join(ids) if ids else ""


def project_for_region(client, deadline=None):
    """The id of the project named after the client's region; InvalidInput when there is not exactly one."""
    config = client.config
    region = config.require_region("find the project of the region (or set project_id (HW_PROJECT_ID))")
    base = iam_base_url(config, client)
    key = (base, region, client.auth.cache_identity())
    with _PROJECTS_LOCK:
        if key not in _PROJECTS:
            _PROJECTS[key] = _ask(client, base, region, deadline)
        return _PROJECTS[key]


def _ask(client, base, region, deadline):
    # Region names are [a-z0-9-], sub-projects add "_" and a suffix (config.py): nothing to encode.
    url = "%s%s?name=%s" % (base, PROJECTS_PATH, region)
    response = client.send(AUTH_ENTRY, "GET", PROJECTS_PATH, url, deadline=deadline)
    projects = response.json.get("projects") if isinstance(response.json, dict) else None
    if not isinstance(projects, list):
        raise ContractError(format_api_message(AUTH_ENDPOINT, "GET", PROJECTS_PATH, response.status,
                                               error_msg="response has no projects list", request_id=response.request_id),
                            field="projects", status=response.status, request_id=response.request_id,
                            method="GET", path=PROJECTS_PATH, service=AUTH_ENDPOINT)
    # IAM matches the name exactly already; checked again so that a looser answer cannot pick a sub-project.
    found = [project.get("id") for project in projects
             if isinstance(project, dict) and project.get("name") == region and project.get("id")]
    if not found:
        raise InvalidInput("no project named %s is visible to these credentials (IAM GET %s?name=%s%s): check region "
                           "(HW_REGION_NAME) and the credentials' access to it, or set project_id (HW_PROJECT_ID)"
                           % (region, PROJECTS_PATH, region, _where(response)), option="project_id")
    if len(found) > 1:
        raise InvalidInput("%d projects are named %s (%s; IAM GET %s?name=%s%s): set project_id (HW_PROJECT_ID) to the "
                           "one to use" % (len(found), region, ", ".join(found), PROJECTS_PATH, region, _where(response)),
                           option="project_id", allowed=found)
    return found[0]
