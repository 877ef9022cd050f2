# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""extensions/awx/credential_type.yml as AWX applies it: every input reaches the variable the collection reads."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

import pytest

import awx_credential
import awx_job

# credential input -> the variable the collection reads for it (plugins/module_utils/options.py ENV_VARS)
EXPECTED = {
    "region": "HW_REGION_NAME", "project_id": "HW_PROJECT_ID", "access_key": "HW_ACCESS_KEY",
    "secret_key": "HW_SECRET_KEY", "security_token": "HW_SECURITY_TOKEN", "auth_token": "HW_AUTH_TOKEN",
    "user_name": "HW_USER_NAME", "password": "HW_USER_PASSWORD", "domain_name": "HW_DOMAIN_NAME",
    "cloud": "HW_CLOUD", "auth_url": "HW_AUTH_URL",
    "profile": "HW_PROFILE", "agency_name": "HW_ASSUME_ROLE_AGENCY_NAME",
    "agency_domain_name": "HW_ASSUME_ROLE_DOMAIN_NAME", "agency_domain_id": "HW_ASSUME_ROLE_DOMAIN_ID",
    "agency_duration": "HW_ASSUME_ROLE_DURATION",
}
# inputs written to a private file whose path the variable names (not the text itself)
FILE_INPUTS = {"cacert": "OS_CACERT", "koocli_config": "HW_SHARED_CONFIG_FILE"}


@pytest.fixture
def credential_type():
    return awx_credential.load_credential_type(awx_job.CREDENTIAL_TYPE)


def test_every_text_input_reaches_its_variable(credential_type, tmp_path):
    inputs = dict((name, "value-of-" + name) for name in EXPECTED)
    env, safe_env = awx_credential.inject(credential_type, inputs, str(tmp_path))[:2]
    for name, variable in EXPECTED.items():
        assert env[variable] == "value-of-" + name, variable
    secrets = awx_credential.secret_fields(credential_type)
    assert set(secrets) <= set(EXPECTED) | set(FILE_INPUTS)
    for name in secrets:
        if name in EXPECTED:
            assert safe_env[EXPECTED[name]] == "**********"


def test_the_secrets_are_secret_fields(credential_type):
    """AWX encrypts these, hides them in its UI and API, and shows asterisks in a job's stored environment."""
    assert set(awx_credential.secret_fields(credential_type)) >= set(
        ["access_key", "secret_key", "security_token", "auth_token", "password", "koocli_config"])


def test_a_pasted_koocli_config_becomes_a_private_file_named_by_hw_shared_config_file(credential_type, tmp_path):
    config = '{"current": "ci", "profiles": [{"name": "ci", "mode": "AKSK"}]}'
    injected = awx_credential.inject(credential_type, {"region": "eu-west-101", "koocli_config": config}, str(tmp_path))
    env, files = injected[0], injected[2]
    assert env["HW_SHARED_CONFIG_FILE"] == files["template.koocli_config"]
    with open(env["HW_SHARED_CONFIG_FILE"]) as handle:
        assert handle.read() == config
    assert stat.S_IMODE(os.stat(env["HW_SHARED_CONFIG_FILE"]).st_mode) == 0o600


def test_a_pasted_ca_becomes_a_private_file_named_by_os_cacert(credential_type, tmp_path):
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    injected = awx_credential.inject(credential_type, {"region": "eu-west-101", "cacert": pem}, str(tmp_path))
    env, files = injected[0], injected[2]
    assert env["OS_CACERT"] == files["template.cacert"]
    assert os.path.dirname(env["OS_CACERT"]) == str(tmp_path / "env")
    with open(env["OS_CACERT"]) as handle:
        assert handle.read() == pem
    assert stat.S_IMODE(os.stat(env["OS_CACERT"]).st_mode) == 0o600


def test_unset_inputs_inject_empty_variables_which_the_collection_ignores(credential_type, tmp_path):
    injected = awx_credential.inject(credential_type, {"region": "eu-west-101"}, str(tmp_path))
    env, files = injected[0], injected[2]
    assert env["HW_REGION_NAME"] == "eu-west-101"
    assert [name for name, value in env.items() if value] == ["HW_REGION_NAME"]
    assert env["OS_CACERT"] == "" and env["HW_INSECURE"] == ""   # the CA file AWX still writes is not named
    assert os.path.getsize(files["template.cacert"]) == 0


def test_insecure_is_true_only_when_ticked(credential_type, tmp_path):
    on = awx_credential.inject(credential_type, {"region": "r", "insecure": True}, str(tmp_path))[0]
    off = awx_credential.inject(credential_type, {"region": "r", "insecure": False}, str(tmp_path))[0]
    assert (on["HW_INSECURE"], off["HW_INSECURE"]) == ("true", "")


@pytest.mark.parametrize("inputs, message", [
    ({}, "required inputs missing: region"),
    ({"region": "r", "secret": "x"}, "not defined by the credential type: secret"),
    ({"region": "r", "insecure": "yes"}, "input insecure must be a bool"),
])
def test_inputs_awx_would_refuse(credential_type, tmp_path, inputs, message):
    with pytest.raises(awx_credential.CredentialTypeError) as info:
        awx_credential.inject(credential_type, inputs, str(tmp_path))
    assert message in str(info.value)


def test_a_reserved_variable_is_refused(credential_type, tmp_path):
    credential_type["injectors"]["env"]["ANSIBLE_COLLECTIONS_PATH"] = "{{ region }}"
    with pytest.raises(awx_credential.CredentialTypeError) as info:
        awx_credential.inject(credential_type, {"region": "r"}, str(tmp_path))
    assert "ANSIBLE_COLLECTIONS_PATH" in str(info.value)
