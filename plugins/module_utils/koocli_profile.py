# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One KooCLI profile (``~/.hcloud/config.json``), read the way the Terraform provider reads it.

    profile = read_profile(shared_config_file, profile_name)   # InvalidInput naming the option
    profile.name, profile.mode                                 # which profile, AKSK / SSO / ecsAgency / ...
    profile.access_key, profile.secret_key, profile.security_token
    profile.region, profile.project_id, profile.agency_name, profile.agency_domain_name

Only read when ``shared_config_file`` or ``profile`` is set. The profile is ``profile`` if given, else
the file's ``current``. ``mode: SSO`` takes its keys from ``ssoAuth.stsToken``; ``ecsAgency`` has no
keys (the ECS metadata gives them). KooCLI stores keys encrypted by default, with a per-machine key
no other tool can read: such a profile fails with the provider's advice. No message ever quotes the
file's content: it holds secrets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

DEFAULT_SHARED_CONFIG_FILE = "~/.hcloud/config.json"
ECS_AGENCY_MODE = "ecsAgency"
SSO_MODE = "SSO"
DECRYPT_ADVICE = ("KooCLI stores keys encrypted by default and only KooCLI can read them: run "
                  "`hcloud configure set --cli-auth-encrypt=false` and configure the profile again, or give "
                  "access_key/secret_key (HW_ACCESS_KEY/HW_SECRET_KEY) instead")
# Plain access key ids are upper-case letters and digits; secret keys are printable without spaces.
# Anything else (KooCLI's encrypted form) cannot be used to sign.
_ACCESS_KEY_RE = re.compile(r"^[A-Z0-9]{8,}$")
_SECRET_KEY_RE = re.compile(r"^[!-~]{8,}$")


class Profile(object):
    """The settings of one profile; repr never shows the keys."""

    def __init__(self, path, name, mode, fields):
        self.path = path
        self.name = name
        self.mode = mode
        self.access_key = fields.get("accessKeyId")
        self.secret_key = fields.get("secretAccessKey")
        self.security_token = fields.get("securityToken")
        self.region = fields.get("region")
        self.project_id = fields.get("projectId")
        self.agency_name = fields.get("agencyName")
        self.agency_domain_name = fields.get("agencyDomainName")

    def __repr__(self):
        return "Profile(path=%r, name=%r, mode=%r)" % (self.path, self.name, self.mode)

    @property
    def uses_metadata(self):
        return self.mode == ECS_AGENCY_MODE

    def secret_values(self):
        return [value for value in (self.secret_key, self.security_token) if value]


def _text(value):
    """A non-empty stripped string, else None (empty fields do not apply, as in the provider)."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _invalid(message):
    return InvalidInput(message, option="shared_config_file")


def _load(path):
    if not os.path.isfile(path):
        raise _invalid("The specified shared config file %s does not exist (shared_config_file, HW_SHARED_CONFIG_FILE)"
                       % path)
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, IOError) as exc:
        raise _invalid("the shared config file %s cannot be read: %s" % (path, exc.strerror or type(exc).__name__))
    except ValueError:
        # Never the parser's message: it quotes the text around the error, which may be a key.
        raise _invalid("the shared config file %s is not a KooCLI config.json (not JSON)" % path)
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        raise _invalid("the shared config file %s is not a KooCLI config.json (no \"profiles\" list)" % path)
    return data


def read_profile(shared_config_file=None, profile=None):
    """The chosen profile of the KooCLI file; InvalidInput (never quoting the file) when unusable."""
    path = os.path.abspath(os.path.expanduser(shared_config_file or DEFAULT_SHARED_CONFIG_FILE))
    data = _load(path)
    name = profile or _text(data.get("current"))
    if not name:
        raise InvalidInput("the shared config file %s has no current profile: set profile (HW_PROFILE)" % path,
                           option="profile")
    entries = [entry for entry in data["profiles"] if isinstance(entry, dict) and entry.get("name") == name]
    if not entries:
        names = [entry.get("name") for entry in data["profiles"] if isinstance(entry, dict) and _text(entry.get("name"))]
        raise InvalidInput("Error finding profile %s in the shared config file %s; its profiles: %s"
                           % (name, path, ", ".join(names) or "none"), option="profile", allowed=names)
    entry = entries[0]
    mode = _text(entry.get("mode")) or "AKSK"
    source = entry
    if mode == SSO_MODE:
        sso = entry.get("ssoAuth") if isinstance(entry.get("ssoAuth"), dict) else {}
        source = sso.get("stsToken") if isinstance(sso.get("stsToken"), dict) else {}
    fields = dict((key, _text(entry.get(key))) for key in ("region", "projectId", "agencyName", "agencyDomainName"))
    fields.update((key, _text(source.get(key))) for key in ("accessKeyId", "secretAccessKey", "securityToken"))
    found = Profile(path, name, mode, fields)
    if not found.uses_metadata:
        _check_plain_keys(found)
    return found


def _check_plain_keys(found):
    where = "profile %s of %s (mode %s)" % (found.name, found.path, found.mode)
    if not found.access_key or not found.secret_key:
        raise InvalidInput("%s holds no plain access key and secret key; %s" % (where, DECRYPT_ADVICE), option="profile")
    if not _ACCESS_KEY_RE.match(found.access_key) or not _SECRET_KEY_RE.match(found.secret_key):
        raise InvalidInput("%s holds keys that are not plain AK/SK text (encrypted by KooCLI?); %s"
                           % (where, DECRYPT_ADVICE), option="profile")
