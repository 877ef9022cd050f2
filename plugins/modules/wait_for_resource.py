#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: wait_for_resource
short_description: Wait until Huawei Cloud resources reach a state, or are gone
version_added: 0.2.0
description:
  - Waits until ECS servers, EVS volumes or RDS instances (or any resource declared with O(api)) reach a state, for example
    V(ACTIVE) after their create job finished, or until they are gone after a delete (O(state=absent)).
  - Uses the engine of M(taskgate.huaweicloud.wait_for_task) - one deadline for every id, adaptive polling, retries, throttling,
    live progress lines, the failure paragraph and O(expect). RDS instances are read through their listing, so many ids
    cost one request per 100 instances.
  - A resource in an error state (ECS V(ERROR), EVS V(error), RDS V(FAILED)) fails the wait at once, with its fault text.
  - Gone means the service's own not-found answer (ECS C(Ecs.0114), EVS C(EVS.5404)), or the id missing from the RDS listing.
    A gateway 404 (C(APIGW.*)) or any other error is never taken for gone. A resource still there at the deadline is a
    timeout naming its last state.
  - Every option is checked before the first request is sent.
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
    description: The module only reads resource state, so check mode runs the wait as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
options:
  service:
    description:
      - The service of a built-in resource. Use O(api) for any other resource. One of O(service) and O(api) is required.
    type: str
    choices: [ecs, evs, rds]
  resource:
    description:
      - The kind of resource of O(service) - V(server) (ECS), V(volume) (EVS), V(instance) (RDS). Defaults to the service's
        only kind.
    type: str
  id:
    description:
      - One resource id or a list of them; one deadline covers all of them.
    type: list
    elements: str
    required: true
  state:
    description:
      - The state to reach; a list means any of them. Defaults to the resource's ready state - ECS V(ACTIVE), EVS
        V(available) or V(in-use), RDS V(ACTIVE), a declared API's O(api.succeeded).
      - V(absent) waits until the resources are gone (ECS V(DELETED) and V(SOFT_DELETED) count as gone too).
      - States are matched ignoring case; a state the resource does not have fails before any request, listing the allowed ones.
    type: list
    elements: str
  timeout:
    description:
      - How long to wait, as seconds or a duration such as V(90s), V(30m) or V(1h30m).
    type: raw
    default: 30m
  deadline:
    description:
      - An absolute end of the wait (ISO 8601 or epoch seconds); the earlier of this and O(timeout) wins.
    type: raw
  delay:
    description:
      - Seconds to wait before the first poll.
    type: float
    default: 0
  poll_interval:
    description:
      - Seconds between polls at first; it grows while nothing changes, up to O(max_poll_interval).
    type: float
    default: 1
  max_poll_interval:
    description:
      - The longest time between two polls, in seconds.
    type: float
    default: 10
  not_found_grace:
    description:
      - Seconds a resource the service does not find yet still counts as on its way (eventual consistency after a create).
        Not used with O(state=absent), where not found is the goal.
    type: float
    default: 30
  progress:
    description:
      - Print a progress line when a resource changes state (the action plugin on the controller).
    type: bool
    default: true
  expect:
    description:
      - Assertions on each resource that reached the state, as in M(taskgate.huaweicloud.wait_for_task) O(ignore:expect)
        (paths into the returned task fields, for example C(raw.name)).
    type: list
    elements: dict
notes:
  - The R(resource states and deletions guide,ansible_collections.taskgate.huaweicloud.docsite.resource_states) lists the states
    of each built-in resource and declares a CCE cluster and a DDS instance.
seealso:
  - module: taskgate.huaweicloud.wait_for_task
  - module: taskgate.huaweicloud.api_request
"""

EXAMPLES = r"""
- name: Wait until the server made by the create job is ACTIVE
  taskgate.huaweicloud.wait_for_resource:
    service: ecs
    id: "{{ created.json.serverIds }}"
    timeout: 15m

- name: Delete an RDS instance, then wait until it is gone
  taskgate.huaweicloud.api_request:
    service: rds
    method: DELETE
    path: /v3/{project_id}/instances/{{ rds_id }}
  register: deleted

- name: Wait until the instance is gone
  taskgate.huaweicloud.wait_for_resource:
    service: rds
    id: "{{ deleted.resource_id }}"
    state: absent
    timeout: 20m

- name: Wait for a CCE cluster, declared
  taskgate.huaweicloud.wait_for_resource:
    api:
      label: cce-cluster
      host: cce
      path: /api/v3/projects/{project_id}/clusters/{id}
      status: status.phase
      name: metadata.name
      pending: [Creating, Upgrading, Resizing]
      succeeded: [Available]
      failed: [Error, Unavailable]
      gone_on: {not_found: true}
    id: "{{ cluster_id }}"
"""

RETURN = r"""
resources:
  description:
    - The resources as last seen, in the order of O(id).
    - C(phase) is V(succeeded) (at the state), V(failed) (an error state), V(pending) or V(absent) (gone, with
      O(state=absent)); C(status) is the raw status (V(absent) once gone); C(fault) the fault the service gives (an ECS
      server's C(fault) object, else the failure text); C(raw) the resource as the API sent it.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 0b7f8e4a-7c55-4f6c-9a62-3f1f0b6a9d10, name: web-1, service: ECS server, status: ACTIVE, phase: succeeded,
       fault: null, raw: {id: 0b7f8e4a-7c55-4f6c-9a62-3f1f0b6a9d10, name: web-1, status: ACTIVE}}
by_id:
  description: The same resources by id.
  returned: always
  type: dict
state:
  description: The states waited for (V([absent]) for a deletion).
  returned: always
  type: list
  elements: str
  sample: [ACTIVE]
outcome:
  description: How the wait ended. V(error) means an API error stopped it; see RV(error).
  returned: always
  type: str
  choices: [succeeded, failed, timeout, error]
  sample: succeeded
elapsed:
  description: Seconds the wait took.
  returned: always
  type: float
  sample: 42.5
polls:
  description: Poll cycles.
  returned: always
  type: int
  sample: 7
requests:
  description: HTTP counters of the wait (C(requests), C(retries), C(throttled), C(auth_refreshes)).
  returned: always
  type: dict
timeline:
  description: Per id, every status change seen (C(at) seconds into the wait, C(status), C(progress)).
  returned: always
  type: dict
deadline:
  description: The end of the wait's budget, epoch seconds.
  returned: always
  type: float
succeeded:
  description: Ids that reached the state (or are gone).
  returned: always
  type: list
  elements: str
failed_ids:
  description: Ids in an error state, not found, or failing O(expect).
  returned: always
  type: list
  elements: str
pending:
  description: Ids still on their way when the wait ended.
  returned: always
  type: list
  elements: str
reasons:
  description: Per failed or unfinished id, its sentence of RV(msg).
  returned: always
  type: dict
msg:
  description: One paragraph on the outcome; on failure each failed resource with its status and fault, on timeout each
    unfinished one with its last state.
  returned: always
  type: str
  sample: "1 of 1 resources failed after 12s: ECS server web-1 0b7f8e4a failed with status ERROR after 12s; reason: No valid host was found."
error:
  description: Why the wait could not run or was stopped (C(type), and for bad options C(option) and C(allowed)). Never secrets.
  returned: when RV(outcome=error), or when an option is wrong
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import TaskGateError, failure_result
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.contract import HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import resource_wait


def main():
    module = AnsibleModule(argument_spec=resource_wait.argument_spec(), supports_check_mode=True, **resource_wait.ARGUMENT_CONSTRAINTS)
    for found, library, error in ((HAS_REQUESTS, "requests", REQUESTS_IMPORT_ERROR), (HAS_JSONSCHEMA, "jsonschema", JSONSCHEMA_IMPORT_ERROR)):
        if not found:
            module.fail_json(msg=missing_required_lib(library), exception=str(error), error={"type": "MissingLibrary", "library": library})
    try:
        result = resource_wait.run_resource_wait(module.params)
    except TaskGateError as exc:
        module.fail_json(**failure_result(exc, changed=False))
    for warning in result.pop("warnings", ()):
        module.warn(warning)
    if result.get("failed"):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
