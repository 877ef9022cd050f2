# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: task
short_description: Look up Huawei Cloud asynchronous tasks (jobs) by id or by filter
version_added: 0.1.0
description:
  - Returns the same normalized tasks as M(taskgate.huaweicloud.task_info), from a Jinja expression.
  - The terms are task ids. Without terms, the filter options select the tasks (GeminiDB and RDS).
  - Connection options fall back to the same C(HW_*) environment variables as the modules, read from the controller's
    own environment (the environment of the C(ansible-playbook) process).
  - The C(environment) keyword of a play, block or task does not reach a lookup, which runs while the task is templated,
    before that environment applies. Pass such credentials as options instead, for example
    C(auth_token=lookup('ansible.builtin.env', 'HW_AUTH_TOKEN')) or a vaulted variable.
author:
  - taskgate maintainers (@taskgate)
requirements:
  - requests
  - jsonschema
extends_documentation_fragment:
  - taskgate.huaweicloud.auth
  - taskgate.huaweicloud.task_selection
  - taskgate.huaweicloud.declared_api
options:
  _terms:
    description: Task ids. Leave empty to select tasks with the filter options.
    required: false
    type: list
    elements: str
  limit:
    description: Return at most this many tasks.
    type: int
  page_size:
    description:
      - Tasks requested per listing page (GeminiDB V(10), V(20), V(50); RDS V(1) to V(50)).
    type: int
notes:
  - As with every lookup, a single result comes back as a dict unless C(wantlist=true) or C(query()) is used.
  - An unknown id gives no task rather than an error.
seealso:
  - module: taskgate.huaweicloud.task_info
"""

EXAMPLES = r"""
- name: Status of one RDS job (credentials from HW_* environment variables)
  ansible.builtin.debug:
    msg: "{{ lookup('taskgate.huaweicloud.task', job_id, service='rds').phase }}"

- name: Every GeminiDB job still running, always as a list
  ansible.builtin.debug:
    msg: "{{ query('taskgate.huaweicloud.task', service='geminidb', status='Running') | map(attribute='id') }}"

- name: Phase of a CCE cluster job and of its sub-jobs
  ansible.builtin.debug:
    msg: "{{ lookup('taskgate.huaweicloud.task', cluster_job_id, service='cce').subtasks | map(attribute='phase') }}"

- name: Phase of a job of an API declared in full (a variable holds the definition)
  vars:
    image_job_api:
      label: image-jobs
      host: ims
      path: /v1/{project_id}/jobs/{id}
      status: status
      pending: [INIT]
      running: [RUNNING]
      succeeded: [SUCCESS]
      failed: [FAIL]
      name: job_type
      instance_id: entities.image_id
  ansible.builtin.debug:
    msg: "{{ lookup('taskgate.huaweicloud.task', image_job_id, api=image_job_api).phase }}"

- name: Several DDM jobs with explicit credentials
  ansible.builtin.set_fact:
    ddm_jobs: "{{ lookup('taskgate.huaweicloud.task', *job_ids, service='ddm', region='eu-west-101',
                         project_id=project, auth_token=token, wantlist=true) }}"
"""

RETURN = r"""
_list:
  description: Normalized tasks, the shape of the C(tasks) that M(taskgate.huaweicloud.task_info) returns.
  type: list
  elements: dict
"""

import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import TaskGateError
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import query_argument_spec, run_task_query
from ansible_collections.taskgate.huaweicloud.plugins.plugin_utils.option_origin import user_set_options


display = Display()


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        # A documented default must not hide the HW_* variable that the connection settings read.
        params = user_set_options(self, query_argument_spec(), direct=kwargs, variables=variables)
        if terms:
            params["id"] = [str(term) for term in terms]
        try:
            # Same HW_* fallbacks as the modules, read from the controller's environment.
            return run_task_query(params, environ=os.environ, warn=display.warning)
        except TaskGateError as err:
            raise AnsibleLookupError("taskgate.huaweicloud.task: %s" % err)
