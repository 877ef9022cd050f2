#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: task_info
short_description: Query Huawei Cloud asynchronous tasks (jobs) by id or by filter
version_added: 0.1.0
description:
  - Answers "what is task X doing?" and "which tasks on instance Y are still running?" for GeminiDB, RDS,
    DDM, ServiceStage, ECS, EVS and BMS, with the same normalized task shape for every service.
  - GeminiDB and RDS are queried through their job listings, page by page, with the filters the APIs
    support. DDM, ServiceStage, ECS, EVS and BMS jobs can only be looked up by id.
  - Any other job API that reads one job by id can be declared with O(api) instead of O(service).
  - An unknown id is not an error; it is simply absent from RV(tasks).
  - Every option is checked before the first request is sent.
author:
  - taskgate maintainers (@taskgate)
requirements:
  - requests
  - jsonschema
extends_documentation_fragment:
  - taskgate.huaweicloud.auth
  - taskgate.huaweicloud.action_group
  - taskgate.huaweicloud.task_selection
  - taskgate.huaweicloud.declared_api
attributes:
  check_mode:
    support: full
    description: The module only reads; it runs unchanged in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to diff.
options:
  limit:
    description:
      - Return at most this many tasks. All matching tasks are returned when not set.
    type: int
  page_size:
    description:
      - Tasks requested per listing page (GeminiDB and RDS only).
      - GeminiDB accepts V(10), V(20) or V(50); RDS accepts V(1) to V(50). Defaults to the largest page
        each service allows, so a listing costs as few requests as possible.
    type: int
notes:
  - Times are returned as ISO 8601 UTC strings whatever format the service uses.
seealso:
  - module: taskgate.huaweicloud.wait_for_task
  - plugin: taskgate.huaweicloud.task
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: What is job X doing?
  taskgate.huaweicloud.task_info:
    service: rds
    id: 4f2c0b1de4c94c2a8a62b7b7cdb8d3c1
  register: job

- name: Which tasks of instance Y are still running?
  taskgate.huaweicloud.task_info:
    service: geminidb
    instance_id: 27a045b6bf9e46f691f81366d398cb04in06
    status: Running
  register: running

- name: Failed RDS tasks of the last day, at most 20
  taskgate.huaweicloud.task_info:
    service: rds
    status: Failed
    start_time: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now(utc=true).timestamp() - 86400, utc=true) }}"
    limit: 20
  register: failures

- name: Several DDM jobs at once, credentials from HW_* environment variables
  taskgate.huaweicloud.task_info:
    service: ddm
    id:
      - 31b8ae23-c687-4d80-b7b4-42a66c9bb886
      - 0a2b8d41-3b5c-4c1f-9f3e-8d3c1e2f4a5b
  register: ddm_jobs

- name: An EVS job (a built-in service, looked up by id)
  taskgate.huaweicloud.task_info:
    service: evs
    id: 2c9eb2c1791c6ee60179222d3c4c1aa4
  register: evs_job

- name: An IMS image job (the image it makes is the task's instance)
  taskgate.huaweicloud.task_info:
    service: ims
    id: ff8080814dbd65d7014dbe0d84db0013
  register: image_job
"""

RETURN = r"""
error:
  description:
    - Why the module failed, next to C(msg) (the readable sentence). C(type) is the error class (V(InvalidInput),
      V(AuthError), V(NotFound), V(Throttled), V(ContractError), V(ApiError), V(WaitTimeout), V(MissingLibrary)); the other
      keys are the safe details there are (C(option) and C(allowed) for bad input; C(status), C(error_code),
      C(error_msg), C(request_id), C(method), C(path), C(service) for API errors). Never secrets.
  returned: on failure
  type: dict
  sample: {type: InvalidInput, option: service, allowed: [geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order]}
tasks:
  description:
    - The matching tasks, normalized to one shape for every service.
    - When the API's rate limit (HTTP 429) refused the requests for some ids after every retry, the task fails,
      its message names those ids, and this holds the tasks of the other ids.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Task (job) id.
      type: str
      sample: 4f2c0b1de4c94c2a8a62b7b7cdb8d3c1
    name:
      description: Task name as the service reports it.
      type: str
      sample: CreateInstance
    service:
      description: The service the task belongs to (for a declared O(api), its O(api.label)).
      type: str
      sample: rds
    status:
      description: The raw status value of the service.
      type: str
      sample: Running
    phase:
      description:
        - Normalized status. ServiceStage C(UNKNOWN) (the engine lost track of the job) and C(PARTIALLY_FAILED) are V(failed).
        - ECS, EVS and BMS C(INIT) is V(pending), C(RUNNING) V(running), C(SUCCESS) V(succeeded), C(FAIL) V(failed).
      type: str
      sample: running
      choices: [pending, running, succeeded, failed, unknown]
    progress:
      description: Progress in percent while running, else null.
      type: int
      sample: 62
    instance:
      description:
        - The instance the task works on (C(id), C(name), C(status); null where unknown).
        - For ECS, EVS and BMS, C(id) is the server or volume of a job that makes one (null for a batch).
      type: dict
      sample: {"id": "4d00c7e9d22145deb889937a72b59c8ein01", "name": "rds-prod", "status": "BUILD"}
    created_at:
      description: Creation time, ISO 8601 UTC.
      type: str
      sample: "2026-11-24T08:40:10Z"
    ended_at:
      description: End time, ISO 8601 UTC, null while the task runs.
      type: str
      sample: null
    fail_reason:
      description:
        - Why the task failed, null otherwise. For ServiceStage, the failed sub-task's message.
        - For ECS, EVS and BMS, the job's own reason, else the failed sub-job's (C(fail_reason), C(errorcode_message) or
          C(error_code)), else the job's C(error_code).
      type: str
      sample: null
    subtasks:
      description:
        - Sub-tasks (ServiceStage, or O(api.subtasks) of a declared API), each with C(id), C(name), C(index), C(status), C(phase),
          C(message) (decoded), C(created_at) and C(entity_id) (null), all of them (the API pages them by 20; every
          page is read), by index.
        - ECS, EVS and BMS sub-jobs in the API's order, with C(name) the sub-job's C(job_type), C(index) null,
          C(message) the failure reason and C(entity_id) the server, volume or NIC it made; IMS sub-jobs
          (C(entities.sub_jobs_result)) likewise, with C(entity_id) the image.
        - CCE sub-jobs (C(spec.subJobs)) with C(name) their C(spec.type), C(message) their C(status.reason) and
          C(entity_id) the cluster or node they work on.
        - Empty for the other services.
      type: list
      elements: dict
      sample: []
    resource_ids:
      description:
        - V(bss_order) only. The ids of the main resources a completed order made (empty before), to wait for their
          jobs next. A completed order whose resources are not listed yet has the status C(5 (resources pending)),
          a running one, so a wait goes on until they are.
      type: list
      elements: str
      sample: [a0a5ba2c63f34b5b9fbbc5b2e0c3d4e5in01]
    request_id:
      description: X-Request-Id of the response that returned the task (what support asks for).
      type: str
      sample: 0f9ad0c1e9e24f1f8b5f0d9e2c8f1a77
    raw:
      description: The task exactly as the service returned it (ServiceStage, with the sub-tasks of every page).
      type: dict
      sample: {}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import TaskGateError, failure_result
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import query_argument_spec, run_task_query


def main():
    module = AnsibleModule(argument_spec=query_argument_spec(), supports_check_mode=True)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR,
                         error={"type": "MissingLibrary", "library": "requests"})
    try:
        tasks = run_task_query(module.params, warn=module.warn)
    except TaskGateError as err:
        # Ids the rate limit refused do not hide the others: what was answered comes back with the error.
        answered = getattr(err, "tasks", None)
        module.fail_json(**failure_result(err, changed=False, **({"tasks": answered} if answered is not None else {})))
    module.exit_json(changed=False, tasks=tasks)


if __name__ == "__main__":
    main()
