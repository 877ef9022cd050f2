# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""option_origin tells "set by the user or the environment" from "documented default" on every supported core.

Each case runs against the real ConfigManager and LookupBase of the installed ansible-core (2.16 on the
oldest leg, 2.19 and 2.21 on the others), and against both behaviours of ``get_option_and_origin``
replayed on that core: before 2.18 (the configuration read again, direct options and variables ignored)
and from 2.18 on (the origins recorded by ``set_options``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import types

import pytest

from ansible import constants as C
from ansible.config.manager import ConfigManager
from ansible.module_utils.six import string_types
from ansible.plugins.lookup import LookupBase
from ansible.release import __version__ as CORE_VERSION

from ansible_collections.taskgate.huaweicloud.plugins.plugin_utils.option_origin import option_origin, user_set_options

PLUGIN_NAME = "taskgate_option_origin_probe"
DEFINITIONS = {
    "region": {
        "type": "str",
        "default": "documented-region",
        "aliases": ["region_name"],
        "env": [{"name": "TASKGATE_PROBE_REGION"}],
        "ini": [{"section": "taskgate_probe", "key": "region"}],
        "vars": [{"name": "taskgate_probe_region"}],
    },
    "max_retries": {"type": "int", "default": 4},
}
CORE = tuple(int(part) for part in CORE_VERSION.split(".")[:2])


class LookupModule(LookupBase):
    """A lookup whose options are DEFINITIONS (its class name gives the plugin type, as for a real lookup)."""

    def run(self, terms, variables=None, **kwargs):
        return []


def _pre_2_18_get_option_and_origin(self, option, hostvars=None):
    """ansible-core 2.16/2.17: the configuration is read again; what set_options was given is not."""
    return C.config.get_config_value_and_origin(option, plugin_type=self.plugin_type, plugin_name=self._load_name,
                                                variables=hostvars)


def _from_2_18_set_options(self, task_keys=None, var_options=None, direct=None):
    """ansible-core 2.18+: set_options records each option's origin next to its value."""
    self._recorded = {}
    for name in self.option_definitions:
        self._recorded[name] = C.config.get_config_value_and_origin(
            name, plugin_type=self.plugin_type, plugin_name=self._load_name, keys=task_keys, variables=var_options,
            direct=direct)
    self._options = dict((name, value) for name, (value, _origin) in self._recorded.items())


def _from_2_18_get_option_and_origin(self, option, hostvars=None):
    return self._recorded[option]


BEHAVIOURS = ["installed core", "before 2.18", "from 2.18"]


@pytest.fixture
def ini_file(tmp_path):
    path = tmp_path / "ansible.cfg"
    path.write_text(u"[defaults]\n")
    return path


@pytest.fixture
def make_plugin(monkeypatch, ini_file):
    """make_plugin(behaviour): a probe lookup on a ConfigManager of its own (reading ``ini_file``)."""
    monkeypatch.delenv("TASKGATE_PROBE_REGION", raising=False)

    def make(behaviour):
        manager = ConfigManager(conf_file=str(ini_file))
        manager.initialize_plugin_configuration_definitions("lookup", PLUGIN_NAME, DEFINITIONS)
        monkeypatch.setattr(C, "config", manager)
        plugin = LookupModule()
        plugin._load_name = PLUGIN_NAME
        if behaviour == "before 2.18":
            plugin.get_option_and_origin = types.MethodType(_pre_2_18_get_option_and_origin, plugin)
        elif behaviour == "from 2.18":
            plugin.set_options = types.MethodType(_from_2_18_set_options, plugin)
            plugin.get_option_and_origin = types.MethodType(_from_2_18_get_option_and_origin, plugin)
        return plugin

    return make


def _read(plugin, direct=None, variables=None):
    plugin.set_options(var_options=variables, direct=direct)
    origin = option_origin(plugin, "region", direct, variables)
    return origin, user_set_options(plugin, ["region", "max_retries"], direct, variables)


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_a_direct_option_is_the_users(make_plugin, behaviour):
    origin, values = _read(make_plugin(behaviour), direct={"region": "eu-west-101"})
    assert origin == "Direct"
    assert values == {"region": "eu-west-101", "max_retries": None}


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_a_direct_alias_is_the_users(make_plugin, behaviour):
    origin, values = _read(make_plugin(behaviour), direct={"region_name": "ap-southeast-1"})
    assert origin == "Direct"
    assert values["region"] == "ap-southeast-1"


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_a_direct_none_is_not_given(make_plugin, behaviour):
    origin, values = _read(make_plugin(behaviour), direct={"region": None, "max_retries": None})
    assert origin == "default"
    assert values == {"region": None, "max_retries": None}


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_an_environment_variable_is_the_users(make_plugin, behaviour, monkeypatch):
    monkeypatch.setenv("TASKGATE_PROBE_REGION", "la-south-2")
    origin, values = _read(make_plugin(behaviour))
    assert origin == "env: TASKGATE_PROBE_REGION"
    assert values["region"] == "la-south-2"


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_a_direct_option_beats_the_environment(make_plugin, behaviour, monkeypatch):
    monkeypatch.setenv("TASKGATE_PROBE_REGION", "la-south-2")
    origin, values = _read(make_plugin(behaviour), direct={"region": "eu-west-101"})
    assert origin == "Direct"
    assert values["region"] == "eu-west-101"


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_an_ini_entry_is_the_users(make_plugin, behaviour, ini_file):
    ini_file.write_text(u"[taskgate_probe]\nregion = cn-north-4\n")
    origin, values = _read(make_plugin(behaviour))
    assert origin == str(ini_file)
    assert values["region"] == "cn-north-4"


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_a_variable_is_the_users(make_plugin, behaviour):
    origin, values = _read(make_plugin(behaviour), variables={"taskgate_probe_region": "af-south-1"})
    assert origin == "var: taskgate_probe_region"
    assert values["region"] == "af-south-1"


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_the_documented_default_is_not_the_users(make_plugin, behaviour):
    plugin = make_plugin(behaviour)
    origin, values = _read(plugin, direct={"page": 3})
    assert origin == "default"
    assert plugin.get_option("region") == "documented-region"
    assert values == {"region": None, "max_retries": None}


def test_the_installed_core_shows_the_behaviour_the_helper_works_around(make_plugin):
    """Before 2.18 the core's own answer for a direct option is "default" (the bug behind issue 27); from 2.18 "Direct"."""
    plugin = make_plugin("installed core")
    plugin.set_options(direct={"region": "eu-west-101"})
    value, origin = plugin.get_option_and_origin("region")
    assert isinstance(origin, string_types)
    if CORE < (2, 18):
        assert (value, origin) == ("documented-region", "default")
    else:
        assert (value, origin) == ("eu-west-101", "Direct")
