# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Every module of the collection is in the action group of meta/runtime.yml.
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/taskgate.huaweicloud.huaweicloud) in O(ignore:module_defaults) to set the auth options once.
    support: full
    membership:
      - taskgate.huaweicloud.huaweicloud
"""
