# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official SDK's response models of the calls the collection makes, and bodies built from them.

Test-only: the ``huaweicloudsdk<service>`` packages pinned in requirements/dev.txt, newest.txt and oldest.txt.
A model's fields come from its ``openapi_types`` (the SDK type) and ``attribute_map`` (the JSON key);
``huaweicloudsdkcore``'s deserializer reads a body into them, converting primitives with the
declared type (``str(60)``, ``int("1")``) and taking null for every field. The body variants here are
what that deserializer accepts: every optional field absent, every field null, every field with the
SDK's type, and every primitive in the other form.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import re
from collections import namedtuple
from functools import lru_cache

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG

# One call the collection makes: the service, the SDK client method that makes the same call, the
# response model, and which catalog entry reads it ("path": the entry's own, "id_lookup": RDS /jobs?id=,
# "order_resources": what a completed BSS order made).
SdkCall = namedtuple("SdkCall", "service package client method response endpoint")

SDK_CALLS = (
    SdkCall("geminidb", "huaweicloudsdkgaussdbfornosql.v3", "GaussDBforNoSQLClient", "list_jobs", "ListJobsResponse", "path"),
    SdkCall("rds", "huaweicloudsdkrds.v3", "RdsClient", "list_tasks", "ListTasksResponse", "path"),
    SdkCall("rds", "huaweicloudsdkrds.v3", "RdsClient", "list_job_info", "ListJobInfoResponse", "id_lookup"),
    SdkCall("ddm", "huaweicloudsdkddm.v1", "DdmClient", "show_ddm_job_result", "ShowDdmJobResultResponse", "path"),
    SdkCall("servicestage", "huaweicloudsdkservicestage.v2", "ServiceStageClient", "show_job_detail", "ShowJobDetailResponse", "path"),
    # The v3 API (/v3/{project_id}/cas/jobs/{job_id}) answers another model in lower case; the
    # catalog calls v2, and a v3 body must read as well (task.cas_view).
    SdkCall("servicestage", "huaweicloudsdkservicestage.v3", "ServiceStageClient", "show_job_info", "ShowJobInfoResponse", None),
    SdkCall("ecs", "huaweicloudsdkecs.v2", "EcsClient", "show_job", "ShowJobResponse", "path"),
    SdkCall("evs", "huaweicloudsdkevs.v2", "EvsClient", "show_job", "ShowJobResponse", "path"),
    SdkCall("bms", "huaweicloudsdkbms.v1", "BmsClient", "show_job_infos", "ShowJobInfosResponse", "path"),
    # The /v3/{project_id}/jobs?id= family: GaussDB (opengauss) and DDS answer one model, TaurusDB (the
    # package huaweicloudsdkgaussdb, "GaussDB(for MySQL)") its own with process and entities.
    SdkCall("gaussdb", "huaweicloudsdkgaussdbforopengauss.v3", "GaussDBforopenGaussClient", "show_job_detail", "ShowJobDetailResponse", "path"),
    SdkCall("dds", "huaweicloudsdkdds.v3", "DdsClient", "show_job_detail", "ShowJobDetailResponse", "path"),
    SdkCall("taurusdb", "huaweicloudsdkgaussdb.v3", "GaussDBClient", "show_gauss_my_sql_job_info", "ShowGaussMySqlJobInfoResponse", "path"),
    SdkCall("cce", "huaweicloudsdkcce.v3", "CceClient", "show_job", "ShowJobResponse", "path"),
    SdkCall("ims", "huaweicloudsdkims.v2", "ImsClient", "show_job", "ShowJobResponse", "path"),
    SdkCall("dcs", "huaweicloudsdkdcs.v2", "DcsClient", "show_job_info", "ShowJobInfoResponse", "path"),
    SdkCall("bss_order", "huaweicloudsdkbss.v2", "BssClient", "show_customer_order_details", "ShowCustomerOrderDetailsResponse", "path"),
    # The SDK names the resources query of an order after pay-per-use resources; it is the same call.
    SdkCall("bss_order", "huaweicloudsdkbss.v2", "BssClient", "list_pay_per_use_customer_resources",
            "ListPayPerUseCustomerResourcesResponse", "order_resources"),
)

PRIMITIVES = ("str", "int", "float", "bool", "decimal.Decimal")
# One point in time in both forms the deserializer passes to a str field: ISO text and epoch ms.
TIME_TEXT = "2026-03-04T02:00:00Z"
TIME_EPOCH_MS = 1772589600000
_TIME_KEY = re.compile(r"(time|_at)$|^(created|ended)$", re.IGNORECASE)
# Progress fields (GeminiDB progress, RDS/DDM process): a percentage in both forms.
_PROGRESS_KEY = re.compile(r"^(progress|process)$", re.IGNORECASE)


def sdk_package_version(call):
    """The installed version of the call's SDK package (what the tests were generated from)."""
    from importlib.metadata import version  # pylint: disable=import-outside-toplevel
    return version("huaweicloudsdk" + call.package.split(".")[0][len("huaweicloudsdk"):])


def sdk_model(call, name=None):
    return getattr(importlib.import_module(call.package + ".model"), name or call.response)


def sdk_http_info(call):
    """The SDK client's request description of the call (method, resource_path, response_type)."""
    client = getattr(importlib.import_module(call.package), call.client)
    request_class = call.response.replace("Response", "Request")
    return getattr(client, "_%s_http_info" % call.method)(sdk_model(call, request_class)())


def _inner_type(sdk_type):
    match = re.match(r"^list\[(.*)\]$", sdk_type)
    return (True, match.group(1)) if match else (False, sdk_type)


@lru_cache(maxsize=None)
def model_tree(call, name=None, _listed=()):
    """{json key: (sdk type, is_list, subtree or None)} of a model (the call's response), recursively.

    A map (``dict(str, str)``: CCE extendParam) is an object without known fields (an empty subtree),
    and so is a list of a model already listed further out (CCE: a job's sub-jobs are Jobs with sub-jobs
    of their own): nothing is read below them.
    """
    model = sdk_model(call, name)
    tree = {}
    for attribute, sdk_type in model.openapi_types.items():
        is_list, inner = _inner_type(sdk_type)
        if inner in PRIMITIVES:
            subtree = None
        elif inner.startswith("dict(") or (is_list and inner in _listed):
            inner, subtree = "object", {}
        else:
            subtree = model_tree(call, inner, _listed + ((inner,) if is_list else ()))
        tree[model.attribute_map[attribute]] = (inner, is_list, subtree)
    return tree


# ------------------------------------------------------------------------------ bodies

class BodyMaker(object):
    """Builds the body variants of one call from its model.

    ``required(path)``: the keys the schema requires at a model path; ``strict(path)``: the field is
    an id or a status (never varied: it stays exact); ``strict_value(path)``: its value.
    """

    def __init__(self, call, required, strict_value, strict):
        self.call = call
        self.tree = model_tree(call)
        self.required = required
        self.strict_value = strict_value
        self.strict = strict
        self.counter = 0

    def variant(self, kind):
        """``absent``: only what the schema requires; ``null``: every other field null; ``typed``:
        every field with the SDK's type; ``other``: every primitive in the other form."""
        self.counter = 1000
        return self._object(self.tree, (), kind)

    def _object(self, tree, path, kind):
        body = {}
        required = self.required(path)
        for key, (sdk_type, is_list, subtree) in tree.items():
            here = path + (key,)
            holds_required = subtree is not None and bool(self.required(here))
            if key in required or holds_required or kind in ("typed", "other"):
                body[key] = self._value(here, sdk_type, is_list, subtree, kind)
            elif kind == "null":
                body[key] = None
        return body

    def _value(self, path, sdk_type, is_list, subtree, kind):
        if is_list:
            return [self._value(path, sdk_type, False, subtree, kind)]
        if subtree is not None:
            return self._object(subtree, path, kind)
        if self.strict(path):
            return self.strict_value(path)
        return self._primitive(path[-1], sdk_type, other=(kind == "other"))

    def _primitive(self, key, sdk_type, other):
        """The SDK's type (``typed``) or the other form its deserializer converts (``other``)."""
        self.counter += 1
        if sdk_type == "str":
            if _TIME_KEY.search(key):
                return TIME_EPOCH_MS if other else TIME_TEXT
            if _PROGRESS_KEY.search(key):
                return 60 if other else "60"
            # Distinct numeric text, so that str() of the other form gives the same text back.
            return self.counter if other else str(self.counter)
        if sdk_type == "int":
            return str(1) if other else 1
        if sdk_type in ("float", "decimal.Decimal"):
            return "1.5" if other else 1.5
        if sdk_type == "bool":
            return 1 if other else True
        raise AssertionError("no body value for SDK type %r" % sdk_type)


def entry_of(call):
    """The catalog entry part that reads the call's answer: (schema, fields, item_key, list items key)."""
    entry = CATALOG[call.service]
    if call.endpoint == "order_resources":
        spec = entry["order_resources"]
        return spec["schema"], {"id": spec["id_key"]}, None, spec["items_key"]
    if call.endpoint == "id_lookup":
        lookup = entry["id_lookup"]
        return lookup["schema"], lookup["fields"], lookup["item_key"], None
    return entry["schema"], entry["fields"], entry.get("item_key"), entry.get("items_key")
