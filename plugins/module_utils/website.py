# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Huawei Cloud website an account belongs to, for a service whose host differs by website (BSS).

An account of the international website gets HTTP 403 ``CBC.0150`` (``CBC.0156`` in some regions) from
``https://bss.myhuaweicloud.com``; its orders are at ``https://bss-intl.myhuaweicloud.com`` (the
catalog entry's ``intl_site``). Terraform's provider probes once when it is configured and then uses
the intl host for BSS, on its default cloud only and never over an endpoint the user set. Here the
first refused call is the probe (no extra request): ``client.py`` sends it again to the intl host,
and the account is remembered as international for the rest of the process, keyed by cloud and
credential like the project cache, so later calls go there at once.

    base = international_base(entry, cloud, identity)        # the intl base URL once known, else None
    base = switch_website(entry, cloud, identity, base, err)  # after a refused call: the intl base, or None
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

_INTERNATIONAL = set()
_LOCK = threading.Lock()


def clear_website_cache():
    with _LOCK:
        _INTERNATIONAL.clear()


def cross_website(entry, err):
    """True when ``err`` (an ApiError) is the entry's "this account belongs to the other website" answer."""
    site = entry.get("intl_site")
    return bool(site) and getattr(err, "status", None) in site["statuses"] and getattr(err, "error_code", None) in site["codes"]


def _key(entry, cloud, identity):
    return (entry["host"], cloud, identity)


def _intl_url(entry, cloud):
    """The intl base URL of an entry whose default host is on the cloud Terraform switches on; else None."""
    site = entry.get("intl_site")
    if not site or cloud != site["cloud"]:
        return None
    return "https://%s.%s" % (site["host"], cloud)


def international_base(entry, cloud, identity):
    """The intl base URL when this credential's account is known to be international (the caller only asks
    where the user set no endpoint); None otherwise."""
    url = _intl_url(entry, cloud)
    if url is None:
        return None
    with _LOCK:
        return url if _key(entry, cloud, identity) in _INTERNATIONAL else None


def switch_website(entry, cloud, identity, base, err):
    """After ``err`` from ``base``: the intl base URL to send the call to (the account is remembered as
    international), when ``err`` says the account is on the other website and ``base`` was not the intl
    host already; else None."""
    url = _intl_url(entry, cloud)
    if url is None or base == url or not cross_website(entry, err):
        return None
    with _LOCK:
        _INTERNATIONAL.add(_key(entry, cloud, identity))
    return url
