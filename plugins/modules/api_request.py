#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: api_request
short_description: Send one signed request to the API of a built-in service
version_added: 0.1.0
description:
  - Calls any endpoint of the built-in services (O(service)) with the collection's authentication (token, AK/SK signing or IAM
    password), retries and error handling, and returns the decoded response.
  - Finds the job id of asynchronous calls (create, resize, deploy) so that the next task can gate on it with
    M(taskgate.huaweicloud.wait_for_task).
  - Non-GET requests are retried only when the connection failed before any byte was sent and on HTTP 429, so a
    create is never sent twice by a retry; GET requests are also retried on 5xx.
  - A write answered with one of the service's documented "another operation is in progress" answers (the instance
    is busy with an earlier job, for example RDS C(DBS.200019)) is sent again with back-off until it goes through or
    O(timeout) ends; RV(busy_retries) says how often it waited. Any other 4xx answer fails at once.
  - A prepaid (yearly/monthly) create answers an order instead of a job; RV(order_id) holds it, and
    M(taskgate.huaweicloud.wait_for_task) with O(service=bss_order) waits until the order is paid and delivered.
author:
  - taskgate maintainers (@taskgate)
extends_documentation_fragment:
  - taskgate.huaweicloud.auth
  - taskgate.huaweicloud.action_group
attributes:
  check_mode:
    support: partial
    description: Can run in check mode and return the result of read-only calls.
    details: V(GET) requests are sent as usual; other methods are not sent, and the result says so in RV(msg).
  diff_mode:
    support: none
    description: The module does not know the state before the call, so there is no diff.
options:
  service:
    description:
      - The service whose endpoint receives the request.
    type: str
    required: true
    choices: [geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order]
  method:
    description:
      - HTTP method. Every method except V(GET) reports C(changed).
    type: str
    default: GET
    choices: [GET, POST, PUT, PATCH, DELETE]
  path:
    description:
      - Path under the service endpoint, starting with C(/), for example C(/v3/{project_id}/instances).
      - C({project_id}) is replaced with the project id of the auth options. Segments are percent-encoded once.
    type: str
    required: true
  query:
    description:
      - Query parameters. A list value repeats the parameter.
    type: dict
  body:
    description:
      - JSON request body.
      - "Secret values are sent as given but never shown: the value of every key named C(password), C(passwd),
        C(adminPass), C(admin_pass), C(admin_password), C(user_password), C(db_user_pwd), C(db_password), C(root_password), C(new_password),
        C(secret), C(secret_key), C(client_secret), C(token), C(auth_token), C(access_token), C(security_token) or
        C(private_key) (any letter case, at any depth, every value under it when it holds a dict or a list) is masked in
        the result, the invocation (what C(-vvv) and AWX show) and error messages, wherever it appears, also when the
        response echoes it. Add other paths with O(body_secrets)."
    type: raw
  body_secrets:
    description:
      - Dotted paths of further secret values in O(body), for example C(db.credentials.key) or C(users.0.pwd), masked
        like the well-known keys listed under O(body).
      - A path into a dict or a list masks every value under it.
      - A path that is not in O(body) fails before anything is sent, so a typo cannot leave a secret unmasked.
    type: list
    elements: str
    default: []
  job_id_path:
    description:
      - Dotted path of the job id in the response body, for example C(job.id) or C(jobs.0.id).
      - Without it the job id is looked up where the service puts it (V(cce) at C(status.jobID), then C(jobid) of the
        add-node call), then at C(job_id), C(job.id), C(jobId) and C(job.JOB_ID), in that order.
      - When given and the response has no job id there, the module fails instead of returning no id.
    type: str
  timeout:
    description:
      - How long the whole call may take, retries included, as seconds or a duration such as V(90s), V(10m) or V(1h).
      - A write that the instance is too busy for is retried within it; when it ends the task fails with the last
        answer and the number of retries.
    type: str
    default: 10m
  status_code:
    description:
      - HTTP statuses that count as success.
      - An error status listed here (for example V(404) for a lookup) is returned instead of failing, with the
        error code and message in RV(json).
    type: list
    elements: int
    default: [200, 201, 202, 204]
notes:
  - Runs where the task runs; use C(delegate_to=localhost) or a C(connection=local) play like the other modules.
  - Secrets of the auth options never appear in results or error messages, nor do the secret values of O(body).
  - A masked value is replaced wherever it occurs in the output, so a short secret that also occurs in other values
    (a job id, a name) hides those parts too.
requirements:
  - requests
seealso:
  - module: taskgate.huaweicloud.wait_for_task
  - module: taskgate.huaweicloud.task_info
"""

EXAMPLES = r"""
- name: Read the RDS instances named db-1
  taskgate.huaweicloud.api_request:
    service: rds
    path: /v3/{project_id}/instances
    query:
      name: db-1
  register: rds_lookup

# Create-if-absent: look the instance up, create it only when it is missing, then gate on the job.
- name: Create the RDS instance only when absent
  taskgate.huaweicloud.api_request:
    service: rds
    method: POST
    path: /v3/{project_id}/instances
    body:
      name: db-1
      flavor_ref: rds.mysql.n1.large.2
      volume:
        type: CLOUDSSD
        size: 40
      password: "{{ rds_root_password }}"  # sent, and masked in every output: a well-known secret key
  register: rds_create
  when: rds_lookup.json.instances | length == 0

- name: Gate on the creation job
  taskgate.huaweicloud.wait_for_task:
    service: rds
    id: "{{ rds_create.job_id }}"
    timeout: 30m
  when: rds_create is changed

- name: Deploy a ServiceStage component instance, the job id sits at job_id
  taskgate.huaweicloud.api_request:
    service: servicestage
    method: POST
    path: /v2/{project_id}/cas/applications/{{ app_id }}/components/{{ component_id }}/instances
    body:
      name: web-1
      version: 1.0.0
      configuration:
        env:
          - name: DB_PASSWORD_OF_APP
            value: "{{ app_db_password }}"
    # An environment variable's value has no telling key: name its path so it is masked too.
    body_secrets:
      - configuration.env.0.value
    job_id_path: job_id
  register: deploy

- name: Accept 404 for a lookup instead of failing
  taskgate.huaweicloud.api_request:
    service: ddm
    path: /v1/{project_id}/instances/{{ ddm_id }}
    status_code: [200, 404]
  register: ddm_lookup
"""

RETURN = r"""
error:
  description:
    - Why the module failed, next to RV(msg) (the readable sentence). C(type) is the error class (V(InvalidInput),
      V(AuthError), V(NotFound), V(Throttled), V(ContractError), V(ApiError), V(WaitTimeout), V(MissingLibrary)); the other
      keys are the safe details there are (C(option) and C(allowed) for bad input; C(status), C(error_code),
      C(error_msg), C(request_id), C(method), C(path), C(service) for API errors; C(busy_retries) when the instance stayed busy
      until O(timeout) ended). Never secrets.
  returned: on failure
  type: dict
  sample: {type: InvalidInput, option: service, allowed: [geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order]}
status:
  description: HTTP status of the response; null when check mode did not send the request.
  returned: always
  type: int
  sample: 202
json:
  description:
    - Decoded JSON body (null for an empty body or when check mode did not send the request).
    - For an error status accepted by O(status_code), C(error_code) and C(error_msg).
  returned: always
  type: raw
  sample: {job_id: ff8080814dbd65d7014dbe0d84db0013, instance: {id: dsfae23fsfdsae3435in01, name: db-1}}
job_id:
  description: Job id found in the response (see O(job_id_path)), or null.
  returned: always
  type: str
  sample: ff8080814dbd65d7014dbe0d84db0013
order_id:
  description:
    - Order id of a prepaid (yearly/monthly) create (at C(order_id) or C(orderId)), or null. Wait on it with
      M(taskgate.huaweicloud.wait_for_task) and O(taskgate.huaweicloud.wait_for_task#module:service=bss_order).
  returned: always
  type: str
  sample: CS2212011537ZQ3LG
busy_retries:
  description: How many times the write was sent again because the instance was busy with another operation.
  returned: always
  type: int
  sample: 2
request_id:
  description: X-Request-Id of the response, what Huawei Cloud support asks for.
  returned: always
  type: str
  sample: 9e1d2c0c3b7a4b4e8c6b
msg:
  description: One line on what was sent and answered, or why nothing was sent in check mode.
  returned: always
  type: str
  sample: "rds POST /v3/{project_id}/instances: HTTP 202"
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import api_call
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import SERVICES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import TaskGateError, failure_result
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import auth_argument_spec


def argument_spec():
    spec = auth_argument_spec()
    spec.update(
        service=dict(type="str", required=True, choices=list(SERVICES)),
        method=dict(type="str", default="GET", choices=list(api_call.METHODS)),
        path=dict(type="str", required=True),
        query=dict(type="dict"),
        body=dict(type="raw"),
        body_secrets=dict(type="list", elements="str", default=[], no_log=False),
        job_id_path=dict(type="str"),
        status_code=dict(type="list", elements="int", default=list(api_call.DEFAULT_STATUS_CODES)),
        timeout=dict(type="str", default=api_call.DEFAULT_TIMEOUT),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR,
                         error={"type": "MissingLibrary", "library": "requests"})
    try:
        result = api_call.api_request(module.params, check_mode=module.check_mode, no_log_values=module.no_log_values,
                                      warn=module.warn)
    except TaskGateError as exc:
        module.fail_json(**failure_result(exc, changed=False))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
