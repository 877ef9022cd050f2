# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Mirrors plugins/module_utils/task_query.py selection_argument_spec() (its api option: the declared_api fragment);
    # keep both in step.
    DOCUMENTATION = r"""
options:
  service:
    description:
      - The service whose tasks (jobs) are meant.
      - V(geminidb) and V(rds) support the filters below; V(ddm), V(servicestage), V(ecs), V(evs) and V(bms) look jobs
        up by O(id) only.
      - V(ecs), V(evs) and V(bms) are the ECS-family job API, C(GET /v1/{project_id}/jobs/{job_id}); each sub-job is a
        sub-task with its C(entity_id), the server or volume it made.
      - On V(rds), an id the task list does not return (the job of an async call such as C(POST /v3/{project_id}/instances))
        is looked up at C(GET /v3/{project_id}/jobs?id=) before it counts as absent; filters other than O(id) only
        see the task list.
      - Give this or O(api) (a job API declared in full), not both.
    type: str
    choices: [geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order]
  id:
    description:
      - One task id or a list of them.
      - On V(geminidb) and V(rds) it combines with the other filters.
      - V(ddm), V(servicestage), V(ecs), V(evs) and V(bms) send the id in the request path, as one segment (C(/) is
        encoded); an id there cannot be C(.) or C(..).
      - A V(ddm) job answered with an empty job or an empty status is not visible yet, like an unknown id.
    type: list
    elements: str
  status:
    description:
      - Only tasks with this raw status, for example V(Running), V(Completed) or V(Failed).
      - GeminiDB and RDS only.
    type: str
  name:
    description:
      - Only tasks with this name, for example V(CreateInstance). GeminiDB and RDS only.
    type: str
  instance_id:
    description:
      - Only tasks of this instance. GeminiDB and RDS only.
      - RDS filters on the server; GeminiDB's job API has no such filter, so the collection reads the
        listing (narrow it with O(start_time)/O(status)) and keeps the tasks of this instance.
    type: str
  order_id:
    description:
      - Only tasks of this order. RDS only.
    type: str
  start_time:
    description:
      - Only tasks created at or after this time, as ISO 8601 (V(2026-11-24T08:00:00Z), naive means UTC)
        or epoch seconds. GeminiDB and RDS only.
      - It is sent in the service's own format (GeminiDB C(yyyy-mm-ddThh:mm:ss+0000), RDS epoch milliseconds).
      - Task times come from the cloud's clock, which may differ from this host's. Without O(end_time) the window reaches
        the cloud's current time, not this host's. GeminiDB ends it itself; RDS needs both bounds, so the end is the
        cloud's time as the C(Date) header of its answers shows it (a day past this host's clock before the first
        answer). A O(start_time) up to a day ahead of this host's clock is accepted for the same reason.
      - GeminiDB allows at most 30 days between O(start_time) and O(end_time).
    type: raw
  end_time:
    description:
      - Only tasks created before this time; same formats as O(start_time). GeminiDB and RDS only.
      - RDS needs O(start_time) with it (refused before any request otherwise); GeminiDB starts the window 30 days before it.
    type: raw
"""
