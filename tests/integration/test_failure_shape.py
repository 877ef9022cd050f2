# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module fails in one shape: failed, msg (one sentence), error = {type, ...details}; nothing else."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.modules import api_request, task_info, wait_for_task

from support import run_module_main, token_params

pytestmark = pytest.mark.simulator

MODULES = {
    "task_info": (task_info.main, {"service": "rds", "id": ["job-1"]}),
    "wait_for_task": (wait_for_task.main, {"service": "rds", "id": ["job-1"], "timeout": "1m"}),
    "api_request": (api_request.main, {"service": "rds", "path": "/v3/{project_id}/instances"}),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_bad_input_fails_in_the_one_shape(name, sim, capsys):
    main, args = MODULES[name]
    args = dict(token_params(sim), **args)
    args["region"] = "Not A Region"

    result = run_module_main(main, args, capsys)

    assert set(result) - {"invocation"} == {"failed", "changed", "msg", "error"}, result
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("region must look like eu-west-101")
    assert result["error"] == {"type": "InvalidInput", "option": "region"}
    assert sim.stats()["requests"] == 0


@pytest.mark.parametrize("name", sorted(MODULES))
def test_api_errors_fail_in_the_one_shape(name, sim, capsys):
    main, args = MODULES[name]
    args = dict(token_params(sim), **args)
    args["auth_token"] = "not-a-token-the-gateway-knows"

    result = run_module_main(main, args, capsys)

    assert result["failed"] is True
    assert result["error"]["type"] == "AuthError" and result["error"]["status"] == 401
    assert "message" not in result["error"]
    assert "APIGW.0301" in result["msg"]
    assert "not-a-token-the-gateway-knows" not in str(result)
    if name != "wait_for_task":   # wait_for_task adds what it saw before the error (outcome error, tasks, ...)
        assert set(result) - {"invocation"} == {"failed", "changed", "msg", "error"}, result
