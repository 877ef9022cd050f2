# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-rulebook event source ``taskgate.huaweicloud.task_events``: one event per job status change.

The logic is ``plugins/module_utils/task_watch.py`` (checked arguments, then the polling engine of
wait_for_task in its deadline-free watch mode); this file only runs it on the rulebook's event loop.
Run it directly to print the events as JSON lines:
``python task_events.py '{"service": "rds", "id": ["JOB_ID"], "until_terminal": true}'`` (the
source arguments as JSON; credentials from the ``HW_*`` variables).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
short_description: Events for the status changes of Huawei Cloud asynchronous jobs
description:
  - "Polls the jobs of a built-in service (GeminiDB, RDS, DDM, ServiceStage, ECS, EVS, BMS) or of a job API declared
    with O(api), and puts one event on the queue per status change: C(task) (the normalized task), C(previous_status),
    C(previous_phase) and C(service)."
  - The task has the shape of the C(tasks) of M(taskgate.huaweicloud.task_info), so a rule reads
    C(event.task.phase == "failed"), C(event.task.fail_reason) or C(event.task.instance.id).
  - The first sighting of a task is an event too, with C(previous_status) null; a rule that wants only
    changes adds C(event.previous_status != null).
  - No deadline. Polling is that of M(taskgate.huaweicloud.wait_for_task) (the same engine) - only unfinished
    tasks are fetched (GeminiDB and RDS in batched listing pages), the interval grows while nothing changes and
    is back at O(poll_interval) after a change, throttling (429), server errors and dropped connections
    slow the polls down instead of ending the source. Rejected credentials or a wrong endpoint end it.
  - The options take the names of M(taskgate.huaweicloud.wait_for_task) (O(id), O(poll_interval),
    O(max_poll_interval)); the names of the first releases (C(ids), C(interval), C(max_interval)) are aliases.
  - The connection options are those of the modules, with the same C(HW_*) environment variable
    fallbacks (read by the ansible-rulebook process).
options:
  service:
    description:
      - Service whose jobs are watched.
      - Give this or O(api), not both.
    type: str
    choices: [geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order]
  api:
    description:
      - A job API declared in full, instead of O(service) - the same definition as the C(api) option of
        C(taskgate.huaweicloud.wait_for_task) (C(endpoint) or C(host), C(path) with C({id}), C(status), C(pending),
        C(running), C(succeeded), C(failed) and dotted paths of the task fields; see the Declared job APIs guide,
        docs/docsite/rst/declared_apis.rst).
      - Such an API looks jobs up by id only; a bad definition stops the source before any request, naming the key.
      - The events' C(service) (and C(task.service)) is the definition's C(label).
    type: dict
  id:
    description:
      - Job ids watched from the start. A single id may be given as a string.
      - An id not found for O(not_found_grace) gets one event with C(task.phase=unknown) and a C(task.note).
    type: list
    elements: str
    aliases: [ids]
  status:
    description: Filter (GeminiDB, RDS) - every job with this status is watched from the poll that lists it.
    type: str
  name:
    description: Filter (GeminiDB, RDS) - job name, such as C(CreateInstance).
    type: str
  instance_id:
    description: Filter (GeminiDB, RDS) - jobs of this instance.
    type: str
  order_id:
    description: Filter (RDS) - jobs of this order.
    type: str
  start_time:
    description: Filter (GeminiDB, RDS) - jobs created at or after this time (ISO 8601 or epoch seconds).
    type: raw
  end_time:
    description: Filter (GeminiDB, RDS) - jobs created before this time.
    type: raw
  poll_interval:
    description:
      - Seconds (or a duration such as C(30s)) between polls while tasks change; the interval grows x1.5
        per poll without a change up to O(max_poll_interval).
    type: raw
    default: 5
    aliases: [interval]
  max_poll_interval:
    description: Longest interval between polls (not counting the back-off after throttling).
    type: raw
    default: 60
    aliases: [max_interval]
  until_terminal:
    description:
      - End the source once every watched task is terminal (succeeded, failed or not found). With
        filters, the tasks found so far count; a filter that matches nothing ends it after the first poll.
    type: bool
    default: false
  not_found_grace:
    description: Seconds an id may be missing (not visible yet, or gone) before its C(unknown) event.
    type: raw
    default: 60
  region:
    description: Region, for the endpoints. Falls back to C(HW_REGION_NAME).
    type: str
  project_id:
    description: Project id; found from the region (one IAM call) when not set. Falls back to C(HW_PROJECT_ID).
    type: str
  cloud:
    description: Cloud domain (default C(myhuaweicloud.com)). Falls back to C(HW_CLOUD).
    type: str
  auth_url:
    description: IAM endpoint for password authentication. Falls back to C(HW_AUTH_URL).
    type: str
  access_key:
    description: AK of AK/SK signing. Falls back to C(HW_ACCESS_KEY).
    type: str
  secret_key:
    description: SK of AK/SK signing. Falls back to C(HW_SECRET_KEY).
    type: str
  security_token:
    description: Security token of a temporary AK/SK. Falls back to C(HW_SECURITY_TOKEN).
    type: str
  auth_token:
    description: IAM token. Falls back to C(HW_AUTH_TOKEN).
    type: str
  user_name:
    description: IAM user for password authentication. Falls back to C(HW_USER_NAME).
    type: str
  password:
    description: Password of O(user_name). Falls back to C(HW_USER_PASSWORD).
    type: str
  domain_name:
    description: Account (domain) of O(user_name). Falls back to C(HW_DOMAIN_NAME).
    type: str
  max_retries:
    description: Retries of one request (throttling, server errors). Falls back to C(HW_MAX_RETRIES).
    type: int
    default: 4
  max_request_rate:
    description:
      - Requests per second at most per service endpoint; unset, learnt from the API's throttling (HTTP 429).
        Falls back to C(HW_MAX_REQUEST_RATE).
    type: float
  endpoints:
    description: Base URL per service (and C(iam), C(metadata) for the ECS metadata service), replacing the computed ones.
    type: dict
  request_timeout:
    description: Seconds one HTTP request may take.
    type: float
    default: 30
  validate_certs:
    description:
      - Verify TLS certificates. If not set, V(false) when E(HW_INSECURE) is V(true), else V(true).
    type: bool
  cacert_file:
    description:
      - PEM file of CA certificates (a private CA) to verify the endpoints with. Falls back to C(OS_CACERT).
    type: path
  shared_config_file:
    description:
      - KooCLI config.json to take the credentials from (read only when this or O(profile) is set; default
        C(~/.hcloud/config.json)). Falls back to C(HW_SHARED_CONFIG_FILE).
    type: path
  profile:
    description: Profile of O(shared_config_file); its current one when not set. Falls back to C(HW_PROFILE).
    type: str
  assume_role:
    description:
      - Agency to assume on top of the credential found - C(agency_name), C(domain_name) or C(domain_id), C(duration);
        its keys are renewed before they expire. Each key falls back to its C(HW_ASSUME_ROLE_*) variable.
      - Without any credential the ECS metadata keys are used (on an ECS with an agency); see the collection's
        precedence table.
    type: dict
"""

EXAMPLES = r"""
- name: Remediate failed jobs
  hosts: all
  sources:
    - taskgate.huaweicloud.task_events:
        service: rds
        id: "{{ rds_job_ids }}"
        poll_interval: 10
        until_terminal: true
  rules:
    - name: A job failed
      condition: event.task.phase == "failed"
      action:
        run_playbook:
          name: taskgate.huaweicloud.remediate_failed_job

- name: Every GeminiDB job of an instance
  hosts: all
  sources:
    - taskgate.huaweicloud.task_events:
        service: geminidb
        instance_id: 9e1d2c0c3b7a4b4e9a8c6c3a4d8b1e77in06
        poll_interval: 30s
  rules:
    - name: Log each change
      condition: event.task.status != event.previous_status
      action:
        print_event:
          pretty: true
"""

import asyncio
import logging
import os
import sys

LOGGER = logging.getLogger(__name__)


def _task_watch():
    """The collection's task_watch module.

    ansible-rulebook loads this file with runpy, outside Ansible's collection loader: when the
    collection is not importable yet, the ansible_collections tree this file was installed in is
    added to sys.path (extensions/eda/plugins/event_source is 7 folders below it).
    """
    try:
        from ansible_collections.taskgate.huaweicloud.plugins.module_utils import task_watch
    except ImportError:
        root = os.path.abspath(__file__)
        for _level in range(8):
            root = os.path.dirname(root)
        if not os.path.isdir(os.path.join(root, "ansible_collections", "taskgate", "huaweicloud")):
            raise
        sys.path.insert(0, root)
        from ansible_collections.taskgate.huaweicloud.plugins.module_utils import task_watch
    return task_watch


async def main(queue, args):
    """Put one event per status change on ``queue`` until stopped (or, with until_terminal, until done)."""
    watch = _task_watch().open_watch(dict(args))
    loop = asyncio.get_running_loop()
    try:
        while True:
            # Requests block: run each poll on a worker thread, the rulebook's loop stays free.
            events = await loop.run_in_executor(None, watch.poll)
            if watch.warning:
                LOGGER.warning("taskgate.huaweicloud.task_events: %s", watch.warning)
            for event in events:
                await queue.put(event)
            if watch.finished:
                LOGGER.info("taskgate.huaweicloud.task_events: every watched task is terminal, ending the source")
                return
            await asyncio.sleep(watch.next_delay())
    finally:
        watch.close()


if __name__ == "__main__":
    import json

    class _PrintQueue(object):
        """Prints events as JSON lines instead of queueing them (a check without ansible-rulebook)."""

        async def put(self, event):
            print(json.dumps(event, sort_keys=True), flush=True)

    if len(sys.argv) != 2:
        sys.exit('usage: python task_events.py \'{"service": "rds", "id": ["JOB_ID"], "until_terminal": true}\'')
    asyncio.run(main(_PrintQueue(), json.loads(sys.argv[1])))
