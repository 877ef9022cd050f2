# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a controller plugin's option got its value, the same on every ansible-core the collection supports.

Before ansible-core 2.18, ``AnsiblePlugin.get_option_and_origin`` reads the configuration again and
ignores what ``set_options`` was given: an option passed directly (a lookup's keyword argument) comes
back with origin ``default``, and one set through a variable too unless the variables are passed
again. From 2.18 on it returns the origin that ``set_options`` recorded. ``option_origin`` answers
the same on both, so a plugin can tell "set by the user or the environment" from "documented
default" without asking which core it runs on.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DIRECT = "Direct"
DEFAULT = "default"


def _given_directly(plugin, name, direct):
    """True when ``direct`` sets ``name`` (or, when it does not name it, one of its aliases) to a value.

    The rule of ansible-core's ConfigManager: a direct None counts as not given, and an alias is
    only looked at when the option's own name is absent.
    """
    if not direct:
        return False
    if name in direct:
        return direct[name] is not None
    aliases = (plugin.option_definitions.get(name) or {}).get("aliases") or []
    return next((direct[alias] for alias in aliases if alias in direct), None) is not None


def option_origin(plugin, name, direct=None, variables=None):
    """Origin of ``plugin``'s option ``name`` after ``plugin.set_options(var_options=variables, direct=direct)``.

    One of ansible-core's origin words: ``Direct``, ``var: NAME``, ``env: NAME``, the path of the
    ini file, or ``default``. Pass the same ``direct`` and ``variables`` as to ``set_options``.
    """
    if _given_directly(plugin, name, direct):
        return DIRECT
    # Before 2.18 this re-reads the configuration (the variables must come again); from 2.18 on it
    # returns what set_options recorded and the variables are not looked at.
    return plugin.get_option_and_origin(name, hostvars=variables)[1]


def user_set_options(plugin, names, direct=None, variables=None):
    """``{name: value}`` for ``names``: the option's value where the user or the environment set it,
    None where it holds its documented default (so a fallback read afterwards is not hidden by it)."""
    return dict((name, None if option_origin(plugin, name, direct, variables) == DEFAULT else plugin.get_option(name))
                for name in names)
