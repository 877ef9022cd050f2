# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.taskgate.huaweicloud.plugins.doc_fragments.auth import ModuleDocFragment
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import options
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

# The table, written out independently of options.ENV_VARS.
ENV_TABLE = [
    ("region", "HW_REGION_NAME", "eu-west-101", "eu-west-101"),
    ("project_id", "HW_PROJECT_ID", "p-123", "p-123"),
    ("cloud", "HW_CLOUD", "example.cloud", "example.cloud"),
    ("auth_url", "HW_AUTH_URL", "https://iam.example", "https://iam.example"),
    ("access_key", "HW_ACCESS_KEY", "AK1", "AK1"),
    ("secret_key", "HW_SECRET_KEY", "SK1", "SK1"),
    ("security_token", "HW_SECURITY_TOKEN", "ST1", "ST1"),
    ("auth_token", "HW_AUTH_TOKEN", "TOK1", "TOK1"),
    ("user_name", "HW_USER_NAME", "alice", "alice"),
    ("password", "HW_USER_PASSWORD", "pw1", "pw1"),
    ("domain_name", "HW_DOMAIN_NAME", "acme", "acme"),
    ("max_retries", "HW_MAX_RETRIES", "7", 7),
    ("cacert_file", "OS_CACERT", "/etc/pki/private-ca.pem", "/etc/pki/private-ca.pem"),
    ("shared_config_file", "HW_SHARED_CONFIG_FILE", "/ci/hcloud.json", "/ci/hcloud.json"),
    ("profile", "HW_PROFILE", "ci", "ci"),
]
# The Terraform provider's assume_role variables, one per suboption.
ASSUME_ROLE_TABLE = [
    ("agency_name", "HW_ASSUME_ROLE_AGENCY_NAME", "ops-agency", "ops-agency"),
    ("domain_name", "HW_ASSUME_ROLE_DOMAIN_NAME", "other-account", "other-account"),
    ("domain_id", "HW_ASSUME_ROLE_DOMAIN_ID", "0a1b2c", "0a1b2c"),
    ("duration", "HW_ASSUME_ROLE_DURATION", "3600", 3600),
]
SECRETS = {"secret_key", "security_token", "auth_token", "password", "access_key"}
DOC_OPTIONS = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]


@pytest.mark.parametrize("option, env_var, raw, expected", ENV_TABLE)
def test_resolve_params_env_fallback(option, env_var, raw, expected):
    resolved = options.resolve_params({}, environ={env_var: raw})
    assert resolved[option] == expected


@pytest.mark.parametrize("option, env_var, raw, expected", ENV_TABLE)
def test_argument_spec_env_fallback_in_ansible_validator(monkeypatch, option, env_var, raw, expected):
    monkeypatch.setenv(env_var, raw)
    result = ArgumentSpecValidator(options.AUTH_ARGUMENT_SPEC).validate({})
    assert not result.error_messages
    assert result.validated_parameters[option] == expected
    if option in SECRETS:
        assert raw in result._no_log_values


@pytest.mark.parametrize("env_var", [row[1] for row in ASSUME_ROLE_TABLE] + ["HW_MAX_REQUEST_RATE"])
def test_a_blank_variable_counts_as_unset_in_both_resolution_paths(monkeypatch, env_var):
    # The AWX credential type injects every field of the credential, an empty one as an empty variable.
    monkeypatch.setenv(env_var, "")
    result = ArgumentSpecValidator(options.AUTH_ARGUMENT_SPEC).validate({})
    assert not result.error_messages
    resolved = options.resolve_params({}, environ={env_var: " "})
    assert result.validated_parameters["assume_role"] == resolved["assume_role"] == dict.fromkeys(options.ASSUME_ROLE_ENV_VARS)
    assert result.validated_parameters["max_request_rate"] is resolved["max_request_rate"] is None


@pytest.mark.parametrize("option, env_var, raw, expected", ENV_TABLE)
def test_given_value_wins_over_env(option, env_var, raw, expected):
    given = {"max_retries": 2} if option == "max_retries" else {option: "given-value"}
    resolved = options.resolve_params(given, environ={env_var: raw})
    assert resolved[option] == (2 if option == "max_retries" else "given-value")


def test_defaults_and_types():
    resolved = options.resolve_params({}, environ={})
    assert resolved["max_retries"] == 4
    assert resolved["request_timeout"] == 30.0
    assert resolved["validate_certs"] is None   # unset: ClientConfig verifies (see test_config)
    assert resolved["cacert_file"] is None
    assert resolved["cloud"] is None
    assert resolved["endpoints"] is None
    assert set(resolved) == set(options.AUTH_ARGUMENT_SPEC)


def test_type_conversion_of_strings():
    resolved = options.resolve_params({"request_timeout": "2.5", "validate_certs": "no", "max_retries": "0"}, environ={})
    assert resolved["request_timeout"] == 2.5
    assert resolved["validate_certs"] is False
    assert resolved["max_retries"] == 0


# ---- HW_INSECURE: validate_certs' variable, negated (Terraform's insecure) ------------------------

@pytest.mark.parametrize("raw, expected", [("true", False), ("1", False), ("yes", False), ("false", True), ("0", True),
                                           (" True ", False), ("", None)])
def test_hw_insecure_is_the_negated_fallback_of_validate_certs(raw, expected, monkeypatch):
    assert options.resolve_params({}, environ={"HW_INSECURE": raw})["validate_certs"] is expected
    monkeypatch.setenv("HW_INSECURE", raw)
    result = ArgumentSpecValidator(options.AUTH_ARGUMENT_SPEC).validate({})
    assert not result.error_messages
    assert result.validated_parameters["validate_certs"] is expected


@pytest.mark.parametrize("given", [True, False])
def test_validate_certs_given_wins_over_hw_insecure(given, monkeypatch):
    for insecure in ("true", "false"):
        assert options.resolve_params({"validate_certs": given}, environ={"HW_INSECURE": insecure})["validate_certs"] is given
        monkeypatch.setenv("HW_INSECURE", insecure)
        result = ArgumentSpecValidator(options.AUTH_ARGUMENT_SPEC).validate({"validate_certs": given})
        assert result.validated_parameters["validate_certs"] is given


def test_hw_insecure_not_a_boolean_names_the_variable(monkeypatch):
    with pytest.raises(InvalidInput) as info:
        options.resolve_params({}, environ={"HW_INSECURE": "maybe"})
    assert info.value.option == "validate_certs"
    assert "environment variable HW_INSECURE must be a boolean" in str(info.value) and "'maybe'" in str(info.value)
    monkeypatch.setenv("HW_INSECURE", "maybe")
    result = ArgumentSpecValidator(options.AUTH_ARGUMENT_SPEC).validate({})
    assert "HW_INSECURE=maybe" in " ".join(result.error_messages)


def test_cacert_file_path_is_expanded(monkeypatch):
    monkeypatch.setenv("HOME", "/home/someone")
    assert options.resolve_params({"cacert_file": "~/ca.pem"}, environ={})["cacert_file"] == "/home/someone/ca.pem"


def test_unrelated_keys_are_ignored():
    resolved = options.resolve_params({"task_id": "x", "region": "r"}, environ={})
    assert "task_id" not in resolved and resolved["region"] == "r"


@pytest.mark.parametrize("given, environ, fragments", [
    ({"max_retries": "many"}, {}, ["option max_retries", "int", "'many'"]),
    ({}, {"HW_MAX_RETRIES": "lots"}, ["environment variable HW_MAX_RETRIES", "max_retries", "int"]),
    ({"request_timeout": "soon"}, {}, ["option request_timeout", "float"]),
    ({"validate_certs": "maybe"}, {}, ["option validate_certs", "bool"]),
    ({"endpoints": 5}, {}, ["option endpoints", "dict"]),
])
def test_type_errors_name_the_option(given, environ, fragments):
    with pytest.raises(InvalidInput) as info:
        options.resolve_params(given, environ=environ)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_spec_marks_secrets_no_log_and_only_those():
    assert set(options.SECRET_OPTIONS) == SECRETS
    for name, spec in options.AUTH_ARGUMENT_SPEC.items():
        assert spec.get("no_log", False) is (name in SECRETS), name
    # the access key ID too: AWX job events carry a module's invocation, which shows every option not no_log
    assert options.AUTH_ARGUMENT_SPEC["access_key"]["no_log"] is True


def test_auth_argument_spec_returns_independent_copy():
    copy = options.auth_argument_spec()
    copy["region"]["required"] = True
    assert "required" not in options.AUTH_ARGUMENT_SPEC["region"]


# ---- doc fragment mirrors the spec -----------------------------------------------------------

def test_doc_fragment_documents_exactly_the_spec():
    assert set(DOC_OPTIONS) == set(options.AUTH_ARGUMENT_SPEC)


@pytest.mark.parametrize("name", sorted(options.AUTH_ARGUMENT_SPEC))
def test_doc_fragment_option_matches_spec(name):
    spec, doc = options.AUTH_ARGUMENT_SPEC[name], DOC_OPTIONS[name]
    assert doc["type"] == spec["type"]
    assert doc.get("default") == spec.get("default")
    description = " ".join(doc["description"])
    if name in options.ENV_VARS:
        assert "E(%s)" % options.ENV_VARS[name] in description
    if name in SECRETS:
        assert "Never logged" in description


@pytest.mark.parametrize("suboption, env_var, raw, expected", ASSUME_ROLE_TABLE)
def test_assume_role_suboptions_fall_back_to_the_terraform_variables(monkeypatch, suboption, env_var, raw, expected):
    assert options.resolve_params({}, environ={env_var: raw})["assume_role"][suboption] == expected
    assert options.resolve_params({"assume_role": {suboption: raw}}, environ={env_var: "other"})["assume_role"][suboption] == expected
    monkeypatch.setenv(env_var, raw)
    result = ArgumentSpecValidator(options.AUTH_ARGUMENT_SPEC).validate({})
    assert not result.error_messages
    assert result.validated_parameters["assume_role"][suboption] == expected


def test_assume_role_is_a_full_dict_even_when_not_given():
    assert options.resolve_params({}, environ={})["assume_role"] == dict.fromkeys(("agency_name", "domain_name", "domain_id",
                                                                                   "duration"))


@pytest.mark.parametrize("given, environ, fragments", [
    ({"assume_role": {"duration": "long"}}, {}, ["option assume_role.duration", "int"]),
    ({}, {"HW_ASSUME_ROLE_DURATION": "1h"}, ["environment variable HW_ASSUME_ROLE_DURATION", "int"]),
    ({"assume_role": {"agency": "x"}}, {}, ["assume_role has an unknown key 'agency'", "agency_name, domain_name"]),
])
def test_assume_role_errors_name_the_suboption(given, environ, fragments):
    with pytest.raises(InvalidInput) as info:
        options.resolve_params(given, environ=environ)
    assert info.value.option == "assume_role"
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize("suboption", sorted(options.AUTH_ARGUMENT_SPEC["assume_role"]["options"]))
def test_doc_fragment_documents_the_assume_role_suboptions(suboption):
    spec = options.AUTH_ARGUMENT_SPEC["assume_role"]["options"][suboption]
    doc = DOC_OPTIONS["assume_role"]["suboptions"][suboption]
    assert set(DOC_OPTIONS["assume_role"]["suboptions"]) == set(options.AUTH_ARGUMENT_SPEC["assume_role"]["options"])
    assert doc["type"] == spec["type"]
    assert "E(%s)" % options.ASSUME_ROLE_ENV_VARS[suboption] in " ".join(doc["description"])
