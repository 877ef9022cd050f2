# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark harness: taskgate.huaweicloud.wait_for_task against the uri + until baseline.

Entry point: ``python bench/run_bench.py --help`` (``make bench`` runs it through tests/utils/bench.sh).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
