# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the credentials come from: the one precedence, as the Terraform provider and the SDK have it.

    chain = choose_credentials(values)     # values: resolved options (option, else HW_* variable)
    chain.auth_class                       # what signs the requests (AgencyAuth on top of the base one)
    chain.base_auth_class                  # TokenAuth / AkSkAuth / PasswordAuth / MetadataAuth
    chain.source                           # "options or HW_* variables", "profile NAME of PATH", "ECS metadata"
    chain.tried                            # what was looked at before the ECS metadata, for its "no credentials"

Precedence (README "Authentication"):

1. options, each one before its HW_* variable (resolved before this point): auth_token, else
   access_key + secret_key (+ security_token), else user_name + password + domain_name;
2. a KooCLI profile, read only when shared_config_file or profile is set (koocli_profile.py);
3. the ECS metadata keys (temporary_keys.MetadataAuth), when nothing else is configured;
4. then an agency on top of whichever was found, when assume_role.agency_name (or
   HW_ASSUME_ROLE_AGENCY_NAME, or the profile's agencyName) is set.

A profile's non-empty region, projectId, agencyName and agencyDomainName fill what the options and
variables left unset. Checked here, before any request; the keys themselves are used by auth.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.auth import AUTH_METHODS, AkSkAuth
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.koocli_profile import read_profile
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import ASSUME_ROLE_ENV_VARS, ENV_VARS
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.temporary_keys import (
    STS_MAX_DURATION,
    STS_MIN_DURATION,
    AgencyAuth,
    MetadataAuth,
)


class CredentialChain(object):
    def __init__(self, auth_class, base_auth_class, source, tried, profile=None):
        self.auth_class = auth_class
        self.base_auth_class = base_auth_class
        self.source = source
        self.tried = tried
        self.profile = profile


def _and_list(names):
    """"a", "a and b", "a, b and c"."""
    names = list(names)
    return names[0] if len(names) == 1 else "%s and %s" % (", ".join(names[:-1]), names[-1])


def _with_env(names):
    return ", ".join("%s (%s)" % (name, ENV_VARS[name]) for name in names)


def explicit_method(values):
    """The first method of AUTH_METHODS whose options are set, None when none is; InvalidInput when incomplete."""
    for method in AUTH_METHODS:
        if any(values[name] for name in method.triggers):
            missing = [name for name in method.required if not values[name]]
            if missing:
                raise InvalidInput("%s authentication needs %s; missing: %s"
                                   % (method.label, _with_env(method.required), ", ".join(missing)), option=missing[0])
            return method
    return None


def _options_tried():
    choices = ", ".join("%s (%s)" % (_and_list(method.required), ", ".join(ENV_VARS[name] for name in method.required))
                        for method in AUTH_METHODS)
    return "options and variables: none of %s is set" % choices


def _apply_profile(values, profile):
    """Fill region, project_id and the agency from the profile where options and variables left them unset."""
    if not values["region"] and profile.region:
        values["region"] = profile.region
    if not values["project_id"] and profile.project_id:
        values["project_id"] = profile.project_id
    role = values["assume_role"]
    if not role["agency_name"] and profile.agency_name:
        role["agency_name"] = profile.agency_name
        if not (role["domain_name"] or role["domain_id"]) and profile.agency_domain_name:
            role["domain_name"] = profile.agency_domain_name


def _check_assume_role(role):
    named = [name for name in ("domain_name", "domain_id", "duration") if role[name] is not None]
    if not role["agency_name"]:
        if named:
            raise InvalidInput("assume_role.%s is set (or %s) but assume_role.agency_name (%s) is not: set the agency "
                               "to assume" % (named[0], ASSUME_ROLE_ENV_VARS[named[0]], ASSUME_ROLE_ENV_VARS["agency_name"]),
                               option="assume_role")
        return False
    if not (role["domain_name"] or role["domain_id"]):
        raise InvalidInput("assume_role needs domain_name (%s) or domain_id (%s): the account that owns agency %s"
                           % (ASSUME_ROLE_ENV_VARS["domain_name"], ASSUME_ROLE_ENV_VARS["domain_id"], role["agency_name"]),
                           option="assume_role")
    duration = role["duration"]
    if duration is not None and not STS_MIN_DURATION <= duration <= STS_MAX_DURATION:
        raise InvalidInput("assume_role.duration (%s) must be from %d to %d seconds, got %r"
                           % (ASSUME_ROLE_ENV_VARS["duration"], STS_MIN_DURATION, STS_MAX_DURATION, duration),
                           option="assume_role")
    return True


def choose_credentials(values):
    """The credential chain for resolved ``values`` (changed in place by a profile). Raises InvalidInput."""
    method = explicit_method(values)
    tried = [_options_tried()]
    profile = None
    if values["shared_config_file"] or values["profile"]:
        profile = read_profile(values["shared_config_file"], values["profile"])
        _apply_profile(values, profile)
        tried.append("profile %s of %s: mode %s, which holds no keys" % (profile.name, profile.path, profile.mode))
    else:
        tried.append("KooCLI profile: not read (neither shared_config_file (HW_SHARED_CONFIG_FILE) nor profile "
                     "(HW_PROFILE) is set)")
    if method is not None:
        source = "options or HW_* variables"
    elif profile is not None and not profile.uses_metadata:
        values["access_key"], values["secret_key"] = profile.access_key, profile.secret_key
        values["security_token"] = profile.security_token
        method, source = AkSkAuth, "profile %s of %s" % (profile.name, profile.path)
    else:
        method, source = MetadataAuth, "ECS metadata"
    auth_class = AgencyAuth if _check_assume_role(values["assume_role"]) else method
    return CredentialChain(auth_class, method, source, tried, profile)
