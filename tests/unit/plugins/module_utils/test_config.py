# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ClientConfig (config.py): validation of the shared options and the one choice of the auth method."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import auth, catalog
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

from client_fakes import CA_PEM


# ---- ClientConfig: auth completeness and precedence -------------------------------------------

def _config(**params):
    return ClientConfig.from_params(dict({"region": "eu-west-101"}, **params))


@pytest.mark.parametrize("params, method", [
    ({"auth_token": "t"}, "token"),
    ({"auth_token": "t", "access_key": "a", "secret_key": "s"}, "token"),
    ({"auth_token": "t", "access_key": "a"}, "token"),
    ({"access_key": "a", "secret_key": "s"}, "aksk"),
    ({"access_key": "a", "secret_key": "s", "security_token": "st"}, "aksk"),
    ({"access_key": "a", "secret_key": "s", "user_name": "u", "password": "p", "domain_name": "d"}, "aksk"),
    ({"user_name": "u", "password": "p", "domain_name": "d"}, "password"),
])
def test_auth_precedence(params, method):
    assert _config(**params).auth_method == method


@pytest.mark.parametrize("params, named", [
    ({"access_key": "a"}, ["secret_key", "HW_SECRET_KEY"]),
    ({"secret_key": "s"}, ["access_key", "HW_ACCESS_KEY"]),
    ({"security_token": "st"}, ["access_key", "secret_key"]),
    ({"access_key": "a", "user_name": "u", "password": "p", "domain_name": "d"}, ["secret_key"]),
    ({"password": "p"}, ["user_name", "domain_name", "HW_USER_NAME", "HW_DOMAIN_NAME"]),
    ({"user_name": "u", "password": "p"}, ["domain_name", "HW_DOMAIN_NAME"]),
    ({"user_name": "u", "domain_name": "d"}, ["password", "HW_USER_PASSWORD"]),
])
def test_incomplete_auth_names_the_options(params, named):
    with pytest.raises(InvalidInput) as info:
        _config(**params)
    for fragment in named:
        assert fragment in str(info.value)


def test_incomplete_auth_message_lists_only_what_is_missing():
    with pytest.raises(InvalidInput) as info:
        _config(user_name="u", password="p")
    assert str(info.value).endswith("missing: domain_name")
    assert info.value.option == "domain_name"


@pytest.mark.parametrize("params, option, fragments", [
    ({"endpoints": {"rds": "http://127.0.0.1:1/rds", "dws": "http://x"}}, "endpoints",
     ["'dws'", "geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order, iam"]),
    ({"endpoints": {"rds": "127.0.0.1:8080"}}, "endpoints", ["endpoints.rds", "http"]),
    ({"endpoints": {"rds": "http://h/x?y=1"}}, "endpoints", ["query"]),
    ({"endpoints": {"rds": 5}}, "endpoints", ["endpoints.rds"]),
    ({"auth_url": "ftp://iam"}, "auth_url", ["auth_url"]),
    ({"max_retries": -1}, "max_retries", ["max_retries", "0 or more"]),
    ({"request_timeout": 0}, "request_timeout", ["request_timeout"]),
    ({"region": "EU west"}, "region", ["region"]),
    ({"cloud": "https://myhuaweicloud.com"}, "cloud", ["cloud"]),
])
def test_config_validation_errors(params, option, fragments):
    with pytest.raises(InvalidInput) as info:
        _config(auth_token="t", **params)
    assert info.value.option == option
    for fragment in fragments:
        assert fragment in str(info.value)


def test_unknown_endpoint_key_lists_allowed_keys_in_details():
    with pytest.raises(InvalidInput) as info:
        _config(auth_token="t", endpoints={"vpc": "https://vpc"})
    assert info.value.to_dict()["allowed"] == list(catalog.SERVICES) + ["iam", "metadata"]


def test_config_normalizes_values():
    config = _config(auth_token=" t ", endpoints={"rds": "http://127.0.0.1:8080/rds/", "ddm": None}, max_retries="3")
    assert config.auth_token == "t"
    assert config.endpoints == {"rds": "http://127.0.0.1:8080/rds"}
    assert config.max_retries == 3


def test_config_does_not_read_the_environment(monkeypatch):
    monkeypatch.setenv("HW_AUTH_TOKEN", "from-env")
    monkeypatch.setenv("HW_ASSUME_ROLE_AGENCY_NAME", "from-env")
    config = ClientConfig.from_params({"region": "r"})
    assert config.auth_method == "metadata" and config.assume_role["agency_name"] is None


@pytest.mark.parametrize("params", [
    {"access_key": "AK"},
    {"password": "Pa55-word!"},
    {"user_name": "u", "password": "Pa55-word!"},
    {"endpoints": {"rds": "ftp://x"}, "password": "Pa55-word!", "user_name": "u", "domain_name": "d"},
])
def test_no_secret_in_invalid_input(params):
    with pytest.raises(InvalidInput) as info:
        ClientConfig.from_params(dict(params, region="r"))
    assert "Pa55-word!" not in str(info.value) + json.dumps(info.value.to_dict())


@pytest.mark.parametrize("params", [{}, {"auth_token": "   "}])
def test_without_credentials_the_ecs_metadata_is_the_last_resort(params):
    config = _config(**params)
    assert config.auth_method == "metadata" and config.credential_source == "ECS metadata"
    assert config.credentials_tried == [
        "options and variables: none of auth_token (HW_AUTH_TOKEN), access_key and secret_key (HW_ACCESS_KEY, "
        "HW_SECRET_KEY), user_name, password and domain_name (HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME) is set",
        "KooCLI profile: not read (neither shared_config_file (HW_SHARED_CONFIG_FILE) nor profile (HW_PROFILE) is set)"]


@pytest.mark.parametrize("params, auth_class", [
    ({"auth_token": "t"}, auth.TokenAuth),
    ({"access_key": "a", "secret_key": "s"}, auth.AkSkAuth),
    ({"user_name": "u", "password": "p", "domain_name": "d"}, auth.PasswordAuth),
])
def test_config_picks_the_auth_class_once(params, auth_class):
    config = _config(**params)
    assert config.auth_class is auth_class
    assert "auth_method=%r" % auth_class.name in repr(config)


def test_require_region_says_what_for():
    config = ClientConfig.from_params({"auth_token": "t"})
    with pytest.raises(InvalidInput) as info:
        config.require_region("scope the IAM token (or set project_id)")
    assert str(info.value) == "region (HW_REGION_NAME) is required to scope the IAM token (or set project_id)"
    assert info.value.option == "region"


# ---- TLS: cacert_file, validate_certs and the warning ------------------------------------------

@pytest.fixture
def ca_bundle(tmp_path):
    path = tmp_path / "ca.pem"
    path.write_text(CA_PEM)
    return str(path)


def test_tls_defaults_verify_with_the_system_store():
    config = _config(auth_token="t")
    assert (config.validate_certs, config.cacert_file, config.verify, config.warnings) == (True, None, True, [])


def test_unset_validate_certs_means_verify():
    # None: neither the option nor HW_INSECURE was given (the spec has no default, see options.py).
    assert _config(auth_token="t", validate_certs=None).verify is True


def test_cacert_file_is_checked_and_becomes_the_verify_path(ca_bundle, tmp_path, monkeypatch):
    config = _config(auth_token="t", cacert_file=ca_bundle)
    assert config.cacert_file == ca_bundle and config.verify == ca_bundle and config.warnings == []
    monkeypatch.chdir(str(tmp_path))
    assert _config(auth_token="t", cacert_file="ca.pem").cacert_file == ca_bundle   # made absolute


@pytest.mark.parametrize("value, problem", [
    ("/nonexistent/ca.pem", "/nonexistent/ca.pem does not exist"),
    ("DIR", "is not a file"),
    ("NOT_PEM", "holds no PEM CA certificate"),
])
def test_unusable_cacert_file_is_invalid_input(tmp_path, value, problem):
    not_pem = tmp_path / "key.txt"
    not_pem.write_text("not a certificate\n")
    path = {"DIR": str(tmp_path), "NOT_PEM": str(not_pem)}.get(value, value)
    with pytest.raises(InvalidInput) as info:
        _config(auth_token="t", cacert_file=path)
    assert info.value.option == "cacert_file"
    assert str(info.value).startswith("cacert_file (OS_CACERT) must be a readable PEM file of CA certificates; ")
    assert problem in str(info.value) and "_ssl.c" not in str(info.value)


def test_verification_off_warns_once_and_ignores_the_ca_bundle(ca_bundle):
    config = _config(auth_token="t", validate_certs=False)
    assert config.verify is False
    [warning] = config.warnings
    assert warning.startswith("TLS certificate verification is off (validate_certs=false or HW_INSECURE=true)")
    assert "cacert_file (OS_CACERT)" in warning
    config = _config(auth_token="t", validate_certs=False, cacert_file=ca_bundle)
    assert config.verify is False
    [warning] = config.warnings
    assert warning.endswith("cacert_file %s is ignored while verification is off" % ca_bundle)
