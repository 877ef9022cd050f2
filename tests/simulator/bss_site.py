"""The two BSS websites: ``bss.{cloud}`` (``/bss_order``) and the international ``bss-intl.{cloud}`` (``/bss_intl``).

api-notes.md ("Prepaid orders"): international accounts use ``bss-intl.myhuaweicloud.com``; Terraform
detects one from a 403 ``CBC.0150``/``CBC.0156`` on ``bss.{cloud}``. The simulator's one account belongs
to one website, the knob ``international_account`` (0: the Chinese one, the default; 1: the
international one, ``sim.state.configure(international_account=1)``). Its calls to the other website's
host answer 403 ``CBC.0150`` with the message the provider quotes; on its own website's host the BSS
order routes of extra_services.py serve as usual. ``/bss_intl`` is the intl host's alias on loopback:
its base URL is ``sim.url + "/bss_intl"`` (not an ``endpoints`` key: the collection has none for it).

Registered by server.py before services.py's routes (``match``), like resources.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from . import services, state
from .services import ServiceError

INTL = "bss_intl"
PREFIXES = (INTL,)
CROSS_WEBSITE = (403, "CBC.0150", "Access denied. The customer does not belong to the website you are now at.")

state.DEFAULT_CONFIG.setdefault("international_account", 0.0)
services.PARAM_ERROR.setdefault(INTL, services.PARAM_ERROR.get("bss_order", "CBC.0100"))
services.NOT_FOUND_ERROR.setdefault(INTL, services.NOT_FOUND_ERROR.get("bss_order", "CBC.0101"))


def international(sim_state):
    return bool(sim_state.config["international_account"])


def _on_website(intl_host, handler):
    def serve(req):
        if international(req.state) != intl_host:
            raise ServiceError(*CROSS_WEBSITE)
        return handler(req)
    return serve


def match(service, method, path):
    """The BSS order routes on both hosts, each answering only the account of its own website."""
    if service not in ("bss_order", INTL):
        return None
    route = services.match("bss_order", method, path)
    if route is None:
        return None
    template, params, handler = route
    return template, params, _on_website(service == INTL, handler)
