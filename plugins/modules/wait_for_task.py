#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: wait_for_task
short_description: Wait until Huawei Cloud asynchronous tasks finish
version_added: 0.1.0
description:
  - Waits for GeminiDB, RDS, DDM, ServiceStage (CAS), ECS, EVS or BMS asynchronous jobs to finish, one call for any number
    of tasks. Any other job API that reads one job by id can be declared with O(api) instead of O(service).
  - Give the task ids with O(id), or the filters of M(taskgate.huaweicloud.task_info) (O(status), O(name), O(instance_id),
    O(order_id), O(start_time), O(end_time)) to wait for every matching task.
  - Polls adaptively from O(poll_interval) up to O(max_poll_interval), batches the queries of many ids, rides out
    throttling and expired tokens, and stops at the earlier of O(timeout) and the absolute O(deadline).
  - For services that read one job per request (every service but GeminiDB and RDS, and declared APIs), a job that
    reports progress is polled by an estimate of its end instead, so a job of minutes costs a few
    requests and is seen soon after it ends.
  - The wait runs on the controller (an action plugin), so it prints live progress lines while it waits; O(progress=false)
    silences them. The module alone (without its action plugin) runs the same engine without progress lines.
  - Every option is checked before the first request is sent; a wrong value fails with a message naming the option and
    the allowed values.
  - It only reads, so it runs normally in check mode and never reports C(changed).
author:
  - taskgate maintainers (@taskgate)
requirements:
  - jsonschema
extends_documentation_fragment:
  - taskgate.huaweicloud.auth
  - taskgate.huaweicloud.action_group
  - taskgate.huaweicloud.declared_api
attributes:
  check_mode:
    support: full
    description: The module only reads task state, so check mode runs the wait as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
options:
  service:
    description:
      - The service that owns the tasks.
      - V(servicestage) means ServiceStage CAS jobs. Their end states C(FAILED), C(PARTIALLY_FAILED), C(CANCELLED),
        C(ROLLBACKED) and C(UNKNOWN) (the engine lost track of the job; it never changes again) are failures, reported at
        once with the status and the failed sub-task in RV(msg). Every sub-task is read, past the API's page of 20.
      - V(ecs), V(evs) and V(bms) mean the jobs of ECS servers, EVS volumes and BMS servers (C(INIT) and C(RUNNING)
        pending, C(SUCCESS) done, C(FAIL) failed). A failure's reason is usually on the failed sub-job, which RV(msg) names.
      - Give this or O(api) (a job API declared in full), not both.
    type: str
    choices: [geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order]
  id:
    description:
      - Ids of the tasks to wait for. A single string works too. An empty list is nothing to wait for; the wait
        succeeds at once, on every service (a loop that created nothing).
      - Mutually exclusive with the filters O(status), O(name), O(instance_id), O(order_id), O(start_time) and O(end_time).
      - A task that is not visible yet (new jobs can be invisible for a few seconds; DDM may also answer with an empty job
        or an empty status) counts as pending for O(not_found_grace) seconds. A task is only taken for missing when a
        lookup of its id does not find it either.
      - V(ddm), V(servicestage), V(ecs), V(evs) and V(bms) send the id in the request path, as one segment (C(/) is
        encoded); an id there cannot be C(.) or C(..).
      - On V(rds), an id the task list does not return (the job of an async call such as C(POST /v3/{project_id}/instances))
        is looked up at C(GET /v3/{project_id}/jobs?id=) before it counts as missing, and is then polled there.
    type: list
    elements: str
  status:
    description:
      - Filter mode. Wait for every task with this raw status (for example V(Running)).
      - Filters are only supported by services with a list API (V(geminidb), V(rds)); the error names the supported ones.
    type: str
  name:
    description:
      - Filter mode. Wait for every task with this task name (for example V(CreateInstance)).
    type: str
  instance_id:
    description:
      - Filter mode. Wait for every task of this instance (RDS filters on the server; for GeminiDB the collection filters the listing).
    type: str
  order_id:
    description:
      - Filter mode. Wait for every task of this order (RDS).
    type: str
  start_time:
    description:
      - Filter mode. Only tasks created at or after this time, ISO 8601 or epoch seconds.
      - Task times come from the cloud's clock, which may differ from the controller's; a window without O(end_time) reaches
        the cloud's "now", and a O(start_time) up to a day ahead of the controller's clock is accepted.
    type: raw
  end_time:
    description:
      - Filter mode. Only tasks created before this time, ISO 8601 or epoch seconds.
      - RDS needs O(start_time) with it.
    type: raw
  timeout:
    description:
      - How long to wait, in seconds (V(600)) or as a duration string (V(90s), V(30m), V(1h30m)).
      - The wait ends at the earlier of now + O(timeout) and O(deadline).
    type: raw
    default: 30m
  deadline:
    description:
      - Absolute end of the wait, ISO 8601 (V(2026-01-31T12:00:00Z)) or epoch seconds.
      - Share one budget between several waits by passing the RV(deadline) returned by the first one to the next ones.
    type: raw
  delay:
    description:
      - Seconds to wait before the first poll.
    type: float
    default: 0
  poll_interval:
    description:
      - Seconds between the first polls. The interval grows while nothing changes, up to O(max_poll_interval).
    type: float
    default: 1
  max_poll_interval:
    description:
      - Upper bound of the seconds between two polls while the interval grows without news.
      - For services that read one job per request, a job whose progress estimates its end far ahead may wait longer,
        up to 9 times this value.
    type: float
    default: 10
  mode:
    description:
      - V(all) waits until every task has finished.
      - V(any) returns as soon as one task has succeeded.
    type: str
    default: all
    choices: [all, any]
  fail_fast:
    description:
      - Stop at the first failed task instead of waiting for the others to finish.
    type: bool
    default: true
  stable_for:
    description:
      - Number of consecutive polls a task must report a final status before it counts as finished.
      - Raise it for services whose status can flicker.
    type: int
    default: 1
  not_found_grace:
    description:
      - Seconds during which a task id that the service does not know yet counts as pending instead of failed.
    type: float
    default: 30
  target_states:
    description:
      - Raw status values that count as success, instead of the service's own (for example V(Completed) for RDS).
      - Unknown values fail with the list of the service's status values.
    type: list
    elements: str
  pending_states:
    description:
      - Raw status values that count as still running, instead of the service's own; any other status then fails the task
        at once as unexpected.
      - A status listed here leaves the service's failure statuses, so V([SUBMITTED, RUNNING, UNKNOWN]) keeps waiting on a
        ServiceStage job in C(UNKNOWN) (a failure by default) until it changes or the wait times out.
    type: list
    elements: str
  failure_states:
    description:
      - Raw status values that count as failure, instead of the service's own.
      - A status listed here leaves the service's success statuses (then give O(target_states)).
    type: list
    elements: str
  progress:
    description:
      - Print live progress lines on the controller while waiting (a start line, one line per status or progress change
        of a task, at most one every 5 seconds per task unless its status changed, and a heartbeat at most every 15 seconds).
    type: bool
    default: true
  expect:
    description:
      - Assertions checked on every task that succeeded.
      - Each entry is a dict with C(path) (dotted path into the returned task, for example C(instance.status) or
        C(subtasks.0.status)) and exactly one of C(equals) (a value), C(in) (a list of values) or C(matches) (a Python
        regular expression, searched anywhere in the value; anchor it with C(^...$)).
      - Optional C(severity) is V(fail) (default, the task counts as failed with C(msg)) or V(warn) (only a warning).
      - "Optional C(msg) replaces the generated message, which reads like C(task 4f2c...: instance.status is 'BUILD', expected 'ACTIVE')."
      - The entries are checked before the first request; unknown keys or a bad regular expression fail at once.
    type: list
    elements: dict
  resource_state:
    description:
      - After every job succeeded, wait under the same deadline until the resource the jobs made reaches this state (a list
        means any of them), as M(taskgate.huaweicloud.wait_for_resource) does - an ECS or EVS job's sub-job entities (the
        servers or volumes), an RDS job's C(instance.id). V(absent) waits until they are gone (after a delete job).
      - O(service=ecs), O(service=evs) and O(service=rds) only; checked before the first request, like the state names.
      - The result then also has C(resources) and C(phases) (C(job) and C(resource), each with C(outcome) and C(elapsed));
        RV(timeline) holds the job ids and the resource ids, RV(msg) both phases.
    type: list
    elements: str
notes:
  - The action plugin runs the wait on the controller (HTTP from the controller, like the other cloud modules here).
    Options fall back to the C(HW_*) variables of the task's C(environment) keyword, then to the controller's
    environment variables, as they would for the module.
  - With C(async) (and C(poll=0) to go on with other tasks), the module runs under Ansible's async wrapper on the
    target host instead, so use it with C(connection=local) or C(delegate_to=localhost); M(ansible.builtin.async_status)
    returns the same result. Such a run prints no progress lines.
  - To wait for the jobs of many hosts, wait once with C(run_once=true) and the ids of every host, for example
    C(ansible_play_hosts | map('extract', hostvars, 'job_id') | list), and let each host check RV(by_id)C([job_id]);
    the role P(taskgate.huaweicloud.task_gate#role) does this with C(task_gate_ids_from_hostvar).
  - O(service=ddm), O(service=servicestage), O(service=ecs), O(service=evs), O(service=bms) and a declared O(api) only support O(id).
seealso:
  - module: taskgate.huaweicloud.task_info
"""

EXAMPLES = r"""
- name: Create an RDS instance, then gate on its creation job
  taskgate.huaweicloud.api_request:
    service: rds
    method: POST
    path: /v3/{project_id}/instances
    body: "{{ rds_instance_body }}"
    job_id_path: job_id
  register: create

- name: Wait for the creation job (prints progress while waiting)
  taskgate.huaweicloud.wait_for_task:
    service: rds
    id: "{{ create.job_id }}"
    timeout: 45m

- name: Wait for many jobs under one shared budget
  taskgate.huaweicloud.wait_for_task:
    service: geminidb
    id: "{{ geminidb_jobs.results | map(attribute='job_id') | list }}"
    timeout: 1h
  register: first_gate

- name: A later gate reuses what is left of the same budget
  taskgate.huaweicloud.wait_for_task:
    service: ddm
    id: "{{ ddm_job_ids }}"
    deadline: "{{ first_gate.deadline }}"

# 50 hosts that each created a server: one wait polls every job together, each host checks its own.
- name: Wait once for the jobs of every host
  taskgate.huaweicloud.wait_for_task:
    service: rds
    id: "{{ ansible_play_hosts | map('extract', hostvars, 'job_id') | list }}"
    fail_fast: false
  run_once: true
  ignore_errors: true
  register: gate

- name: Each host checks its own job
  ansible.builtin.assert:
    that: gate.by_id[job_id].phase == 'succeeded'
    fail_msg: "{{ gate.reasons[job_id] | default(gate.msg) }}"

- name: Start a long wait in the background (the module runs under Ansible's async wrapper)
  taskgate.huaweicloud.wait_for_task:
    service: rds
    id: "{{ create.job_id }}"
    timeout: 1h
  async: 3600
  poll: 0
  register: background_wait

- name: Collect it later
  ansible.builtin.async_status:
    jid: "{{ background_wait.ansible_job_id }}"
  register: waited
  until: waited.finished
  retries: 360
  delay: 10

- name: Wait until no task of instance X is running any more
  taskgate.huaweicloud.wait_for_task:
    service: rds
    instance_id: 4d00c7e9d22145deb889937a72b59c8ein01
    status: Running
    timeout: 20m

- name: Gate with assertions on the finished task
  taskgate.huaweicloud.wait_for_task:
    service: rds
    id: "{{ create.job_id }}"
    expect:
      - path: instance.status
        equals: ACTIVE
      - path: name
        in: [CreateInstance, CreateInstanceReplica]
      - path: instance.name
        matches: "^prod-"
        severity: warn
        msg: instance name does not follow the prod- naming rule

# Before: uri + until. Fixed delay, no real deadline (retries x delay plus request time), one job at
# a time, a token to manage by hand, and on failure nothing but "FAILED - RETRYING".
- name: Poll the job (old way)
  ansible.builtin.uri:
    url: "https://servicestage.{{ region }}.myhuaweicloud.com/v2/{{ project_id }}/cas/jobs/{{ job_id }}"
    headers:
      X-Auth-Token: "{{ token }}"
    return_content: true
  register: job
  until: job.json.job.EXECUTION_STATUS in ['SUCCEEDED', 'FAILED']
  retries: 120
  delay: 10
  failed_when: job.json.job.EXECUTION_STATUS == 'FAILED'

# After: one gate, adaptive polling, live progress, the failed sub-task's message in msg
- name: Wait for the job
  taskgate.huaweicloud.wait_for_task:
    service: servicestage
    id: "{{ job_id }}"
    timeout: 20m

# CCE cluster and node jobs: the failed sub-job (spec.subJobs) and its reason are in the failure message.
- name: Create a CCE cluster
  taskgate.huaweicloud.api_request:
    service: cce
    method: POST
    path: /api/v3/projects/{project_id}/clusters
    body: "{{ cluster_spec }}"
  register: cluster_create   # job_id comes from status.jobID

- name: Wait for the cluster creation job
  taskgate.huaweicloud.wait_for_task:
    service: cce
    id: "{{ cluster_create.job_id }}"
    timeout: 40m

# A prepaid (yearly/monthly) create answers an order: wait until it is paid and delivered, then for the
# jobs of the resources it made. One deadline for both gates.
- name: Create a yearly/monthly RDS instance
  taskgate.huaweicloud.api_request:
    service: rds
    method: POST
    path: /v3/{project_id}/instances
    body: "{{ rds_spec | combine({'charge_info': {'charge_mode': 'prePaid', 'period_type': 'month', 'period_num': 1}}) }}"
  register: prepaid

- name: Wait for the order
  taskgate.huaweicloud.wait_for_task:
    service: bss_order
    id: "{{ prepaid.order_id }}"
    timeout: 45m
  register: order

- name: Wait for the jobs of the instance the order made
  taskgate.huaweicloud.wait_for_task:
    service: rds
    instance_id: "{{ order.tasks[0].resource_ids[0] }}"
    deadline: "{{ order.deadline }}"  # what is left of the 45 minutes

# A job API that is not a built-in service: declare where the job is and what its statuses mean
# (here the shape of CCE's, which is also built in as service=cce).
- name: Wait for a job of a declared API
  taskgate.huaweicloud.wait_for_task:
    api:
      label: cluster-jobs
      host: cce
      path: /api/v3/projects/{project_id}/jobs/{id}
      status: status.phase
      pending: [Initializing]
      running: [Running]
      succeeded: [Success]
      failed: [Failed]
      name: spec.type
      fail_reason: status.reason
      subtasks: spec.subJobs
      id: metadata.uid
    id: "{{ cluster_create.json.status.jobID }}"
    timeout: 40m
"""

RETURN = r"""
tasks:
  description:
    - The final normalized tasks, one per task id (or per matching task in filter mode).
    - Same shape as the RV(taskgate.huaweicloud.task_info#module:tasks) of M(taskgate.huaweicloud.task_info).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77
      name: CreateInstance
      service: rds
      status: Completed
      phase: succeeded
      progress: 100
      instance: {id: 4d00c7e9d22145deb889937a72b59c8ein01, name: rds-prod-1, status: ACTIVE}
      created_at: "2026-01-31T10:00:00Z"
      ended_at: "2026-01-31T10:07:12Z"
      fail_reason: null
      subtasks: []
      request_id: 9e1d2c0c3b7a4b4e
by_id:
  description:
    - The tasks of RV(tasks) by task id, so that each host of a play that waited once for the jobs of every host
      (C(run_once)) finds its own job with C(by_id[job_id]).
  returned: always
  type: dict
  sample:
    4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77: {id: 4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77, name: CreateInstance, status: Completed, phase: succeeded}
elapsed:
  description: Seconds the wait took.
  returned: always
  type: float
  sample: 432.5
polls:
  description: Number of refresh rounds.
  returned: always
  type: int
  sample: 41
requests:
  description: HTTP request counters of the client.
  returned: always
  type: dict
  sample: {requests: 44, retries: 3, throttled: 3, auth_refreshes: 0}
pace:
  description:
    - How the API's rate limit shaped the wait. C(refused) counts the requests the API refused with HTTP 429 (retries
      included); C(rate) is the requests per second to the service's endpoint the pace settled at, or null when it
      never had to pace (no 429 and no O(max_request_rate)).
  returned: success
  type: dict
  sample: {refused: 4, rate: 18.6}
timeline:
  description:
    - Per task id, the list of observed changes, each with C(at) (seconds since the start of the wait), C(status) (raw)
      and C(progress) (0-100 or null).
  returned: always
  type: dict
  sample:
    4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77:
      - {at: 0.0, status: Running, progress: 5}
      - {at: 72.1, status: Running, progress: 62}
      - {at: 432.5, status: Completed, progress: 100}
succeeded:
  description: Ids of the tasks that succeeded (and passed every O(expect) assertion of severity V(fail)).
  returned: always
  type: list
  elements: str
  sample: [4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77]
failed_ids:
  description:
    - Ids of the tasks that failed, including those that broke an O(expect) assertion.
    - Not called C(failed), because Ansible reserves that key for the task's own failure flag.
  returned: always
  type: list
  elements: str
  sample: []
pending:
  description:
    - Ids of the tasks still unfinished when the wait ended (timeout, or O(fail_fast) or O(mode=any) stopped it).
    - When an API error stopped the wait (RV(outcome=error)), every task id.
  returned: always
  type: list
  elements: str
  sample: []
deadline:
  description:
    - The end of this wait's budget as epoch seconds (the earlier of now + O(timeout) and O(deadline)).
    - Pass it as O(deadline) to later waits to share one budget.
  returned: always
  type: float
  sample: 1769857200.0
vanished:
  description: Filter mode only. Ids of the tasks that stopped matching the filters while the wait ran (for example they left
    O(status=Running)); they no longer block the wait.
  returned: always
  type: list
  elements: str
  sample: []
reasons:
  description: Per failed or unfinished task id, the sentence the RV(msg) paragraph has about it.
  returned: always
  type: dict
  sample:
    9c31d9b25a2b745b7b59051bf40048d7: "rds CreateInstance 9c31d9b25a2b745b7b59051bf40048d7 failed with status Failed at 86% after 50s;
      reason: Insufficient resources in the AZ; request id f3158c0c66dd779403c54c71fca05536."
outcome:
  description:
    - How the wait ended. V(error) means an API error (for example rejected credentials) stopped it; see RV(error).
  returned: always
  type: str
  choices: [succeeded, failed, timeout, error]
  sample: succeeded
error:
  description:
    - Why the wait could not run or was stopped, next to RV(msg) (the readable sentence); C(type) is the error class.
    - With RV(outcome=error), the API error that stopped the wait (C(status), C(error_code), C(error_msg), C(request_id), ...).
    - For bad options (nothing was sent), V(InvalidInput) with the C(option) and the C(allowed) values. Never secrets.
  returned: when RV(outcome=error), or when an option is wrong
  type: dict
  sample: {type: AuthError, status: 403, error_code: APIGW.0302, request_id: 9e1d2c0c3b7a4b4e}
msg:
  description:
    - One paragraph on the outcome. On failure it names every failed task with its service, name, raw status, progress,
      elapsed time, fail reason, the failed CAS sub-task with its decoded message and the request id; on timeout how many
      tasks are unfinished and each one's last status, progress and time since its last change.
  returned: always
  type: str
  sample: "rds task 4f2c0a4e (CreateInstance) failed after 7m12s: status Failed at 62%: disk quota exceeded (request id 9e1d2c0c)"
warnings:
  description: Messages of the O(expect) assertions of severity V(warn) that did not hold.
  returned: when an assertion of severity warn did not hold
  type: list
  elements: str
  sample: ["task 4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77: instance name does not follow the prod- naming rule"]
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import TaskGateError, failure_result
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.contract import HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import resource_wait, wait_runner


def main():
    module = AnsibleModule(argument_spec=wait_runner.argument_spec(), supports_check_mode=True, **wait_runner.ARGUMENT_CONSTRAINTS)
    for found, library, error in ((HAS_REQUESTS, "requests", REQUESTS_IMPORT_ERROR), (HAS_JSONSCHEMA, "jsonschema", JSONSCHEMA_IMPORT_ERROR)):
        if not found:
            module.fail_json(msg=missing_required_lib(library), exception=str(error), error={"type": "MissingLibrary", "library": library})
    try:
        if module.params.get("resource_state"):
            result = resource_wait.run_task_wait(module.params)
        else:
            result = wait_runner.run_wait(module.params)
    except TaskGateError as exc:
        module.fail_json(**failure_result(exc, changed=False))
    for warning in result.pop("warnings", ()):
        module.warn(warning)
    if result.get("failed"):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
