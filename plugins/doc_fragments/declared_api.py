# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Mirrors plugins/module_utils/declared_api.py (KEYS, argument_spec(), check_definition); keep both in step.
    DOCUMENTATION = r"""
options:
  api:
    description:
      - A job API that is not a built-in O(service), declared here. Use it instead of O(service).
      - The job is read with C(GET) on O(api.endpoint) (or the host O(api.host)) + O(api.path), with the same
        authentication, retries, deadline, not-found grace and failure report as a built-in service.
      - It looks jobs up by O(id) only (no filters).
      - The definition is checked before any request; a wrong key fails naming it, for example C(api.path).
      - A status that none of O(api.pending), O(api.running), O(api.succeeded) and O(api.failed) lists fails the task as
        unexpected.
      - The returned tasks have C(service) set to O(api.label).
      - The R(Declared job APIs guide,ansible_collections.taskgate.huaweicloud.docsite.declared_apis) has the CCE, IMS and ECS
        job APIs declared in full (C(docs/docsite/rst/declared_apis.rst) in the collection).
    type: dict
    suboptions:
      label:
        description:
          - How messages and the returned tasks (C(service)) name this API. Not the name of a built-in service.
          - Defaults to V(api).
        type: str
      endpoint:
        description:
          - Base URL of the API, for example V(https://evs.eu-west-101.myhuaweicloud.eu) (an C(http://) or C(https://) URL,
            no query string).
          - Without it, O(api.host) gives the URL C(https://{host}.{region}.{cloud}), as for the built-in services.
          - One of O(api.endpoint) and O(api.host) is required; O(api.endpoint) wins when both are given.
        type: str
      host:
        description:
          - Host name prefix of the API, for example V(cce) for C(https://cce.{region}.{cloud}) (O(region), O(cloud)).
        type: str
      path:
        description:
          - Required. Path of one job (or resource), from its leading C(/), for example V(/v1/{project_id}/jobs/{id}), with
            an optional query string, for example V(/v3/{project_id}/instances?id={id}).
          - C({id}) (required, once, in the path or in a query value) is replaced with the id, C({project_id}) (path part
            only) with the project id, any other C({name}) with O(api.params) C(name).
        type: str
      params:
        description:
          - Values of the other placeholders of O(api.path), for example C(cluster_id) for
            C(/api/v3/projects/{project_id}/clusters/{cluster_id}/nodes/{id}).
          - Checked before any request; every key must be used by O(api.path), and a value cannot hold C(/), C({) or C(}).
        type: dict
      status:
        description:
          - Required. Dotted path of the raw status in the response, for example V(status) or V(status.phase); a number
            picks a list item, for example V(instances.0.status).
          - A response without it fails the wait at once (the path is wrong), rather than waiting until the timeout.
        type: str
      pending:
        description:
          - Statuses of a job that is not finished, for example V([INIT, RUNNING]). This or O(api.running) is required.
          - Statuses are matched ignoring case and surrounding blanks; a status can be in one of the lists only.
        type: list
        elements: str
      running:
        description:
          - Statuses of a job at work, for example V([RUNNING]). Like O(api.pending) for the wait, but the returned task's
            C(phase) is V(running) instead of V(pending) (and progress lines count it as running).
        type: list
        elements: str
      succeeded:
        description:
          - Required. Statuses of a job that succeeded, for example V([SUCCESS]); at least one.
        type: list
        elements: str
      failed:
        description:
          - Statuses of a job that failed, for example V([FAIL]).
        type: list
        elements: str
      id:
        description:
          - Dotted path of the id of a sub-task (in each item of O(api.subtasks)). The job's own id is the id asked for.
        type: str
      name:
        description:
          - Dotted path of the job's name or type, for example V(job_type).
        type: str
      progress:
        description:
          - Dotted path of the progress (a number or a text such as V(60%)).
        type: str
      created_at:
        description:
          - Dotted path of the creation time (ISO 8601 or epoch).
        type: str
      ended_at:
        description:
          - Dotted path of the end time (read once the job has finished).
        type: str
      instance_id:
        description:
          - Dotted path of the id of the resource the job works on.
        type: str
      instance_name:
        description:
          - Dotted path of the name of the resource the job works on.
        type: str
      instance_status:
        description:
          - Dotted path of the status of the resource the job works on.
        type: str
      fail_reason:
        description:
          - Dotted path of the failure reason, for example V(fail_reason) or V(entities.sub_jobs.0.fail_reason).
          - Without it, or when it is empty, the reason is the message of the first failed sub-task.
        type: str
      subtasks:
        description:
          - Dotted path of the list of sub-tasks, for example V(entities.sub_jobs) (ECS) or V(spec.subJobs) (CCE).
          - Each sub-task is read with the job's own paths (O(api.status), O(api.name), O(api.fail_reason) as its message,
            O(api.created_at), O(api.id)) and status lists. A path into one sub-task, such as
            V(entities.sub_jobs.0.fail_reason), reads the same key (C(fail_reason)) of each sub-task.
        type: str
      gone_on:
        description:
          - Which answer means that the job or resource is gone (deleted), for a deletion wait
            (M(taskgate.huaweicloud.wait_for_resource) with O(taskgate.huaweicloud.wait_for_resource#module:state=absent)).
          - Without it, a 404 with a service error code means not found, as for the built-in services. With it, only what
            it names does; any other error (a gateway 404 C(APIGW.*) above all) fails the wait as an error.
        type: dict
        suboptions:
          codes:
            description:
              - Error codes that mean gone, at any HTTP status, for example V([DBS.280110]).
            type: list
            elements: str
          not_found:
            description:
              - V(true) for any HTTP 404 with a service error code (not C(APIGW.*)).
            type: bool
          empty:
            description:
              - Dotted path of a list that is empty once the resource is gone, for example V(instances) for an RDS or DDS
                listing that answers an empty C(instances) list.
            type: str
"""
