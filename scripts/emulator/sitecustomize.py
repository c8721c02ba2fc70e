"""Speeds up the AWS emulator (moto_server) that tests and the local stack run; nothing else imports this.

Python imports a module named ``sitecustomize`` from the path at start-up: ``./connector up`` and the tests'
``MotoServer`` put this directory on ``PYTHONPATH`` when they start moto_server. Three costs of moto 5.2 grow with
what the emulator holds and dominate the connector's tests and its local stack; all three are removed here without
changing what any call answers:

1. EventBridge renders every matched target's input through ``EventTemplateParser.parse``, which compiles eight
   JSONPath expressions with ``jsonpath_ng.ext.parse`` each time, building a new PLY parser per call (~90-300 ms
   each). So every ``PutEvents`` took 1-3 s with the connector's six inbox rules. The expressions are the same few
   constants, so their compiled form is cached: ``PutEvents`` takes 10-30 ms. A compiled expression is immutable
   (``find`` only reads it), so sharing it is safe.
2. DynamoDB's ``TransactWriteItems`` deep-copies every table it writes to, once per item, so that it can roll back:
   its cost grows with everything stored (8 ms on an empty table, 88 ms at 3,000 items). Here the transaction
   keeps a copy of only the items it names (a transaction writes nothing else) and puts them back when it is
   cancelled, which is what the whole-table copy restored.
3. S3 answers a ``GetObject`` with a byte range by reading the whole object and slicing it: a 512 KiB read of a
   16 MiB pack costs as much as reading the pack (objects over the emulator's 1 MiB buffer live in temporary files).
   Here a GET with one plain range ``bytes=FIRST-LAST`` sees the object's value as a view of its length whose slice
   reads only the range from the object's buffer; everything else (the range checks, ``Content-Range``, the 416 of
   a range past the end) is moto's own code, so the answer is the same bytes.

One EBS direct-API parameter moto 5.2 ignores is honoured here, as EBS does:

4. ``StartSnapshot``'s ``ParentSnapshotId``: the new snapshot starts with its parent's blocks (the same block
   objects; a later ``PutSnapshotBlock`` replaces an entry, never the parent's block). The background-jobs
   emulator shim makes each backup's snapshot of a volume as a child of the volume's seeded content, so it puts no
   block at all instead of copying every block through HTTP (seconds per backup); it checks that the blocks were
   inherited and copies them itself when they were not (a moto started without this file).
"""

import copy as _copy
import functools
import json
import re
import threading
from urllib.parse import parse_qs, urlparse


def _cache_jsonpath():
    try:
        import jsonpath_ng.ext as jsonpath_ext
    except ImportError:  # not moto's interpreter: nothing to speed up
        return
    if not hasattr(jsonpath_ext.parse, "cache_info"):
        jsonpath_ext.parse = functools.lru_cache(maxsize=1024)(jsonpath_ext.parse)


def _item_rollback_for_transactions():
    try:
        from moto.dynamodb import models
        from moto.dynamodb.models.table import Table
    except ImportError:
        return
    backend = models.DynamoDBBackend
    original = backend.transact_write_items
    if getattr(original, "_connector_item_rollback", False):
        return
    inside = threading.local()

    class _CopyWithoutTables:
        """The ``copy`` module as ``models`` sees it: a table is not copied inside a transaction of this thread."""

        def __getattr__(self, name):
            return getattr(_copy, name)

        @staticmethod
        def deepcopy(value, memo=None):
            if getattr(inside, "active", False) and isinstance(value, Table):
                return value
            return _copy.deepcopy(value, memo)

    models.copy = _CopyWithoutTables()

    def key_of(table, op_type, op):
        if op_type == "Put":
            attrs = op["Item"]
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
            return key
        return op.get("Key")

    @functools.wraps(original)
    def transact_write_items(self, transact_items):
        saved = []
        try:
            for entry in transact_items:
                op_type, op = next(iter(entry.items()))
                table = self.tables.get(op.get("TableName"))
                if table is None:
                    continue
                key = key_of(table, op_type, op)
                if key is None:
                    continue
                current = self.get_item(op["TableName"], key)
                saved.append((op["TableName"], key, None if current is None else current.to_json()["Attributes"]))
        except Exception:
            return original(self, transact_items)  # a malformed request: moto's own path names the error
        inside.active = True
        try:
            return original(self, transact_items)
        except BaseException:
            for table_name, key, attributes in reversed(saved):
                table = self.tables.get(table_name)
                if table is None:
                    continue
                if attributes is None:
                    hash_value, range_value = self.get_keys_value(table, key)
                    if table.get_item(hash_value, range_value) is not None:
                        table.delete_item(hash_value, range_value)
                else:
                    table.put_item(_copy.deepcopy(attributes))
            raise
        finally:
            inside.active = False

    transact_write_items._connector_item_rollback = True
    backend.transact_write_items = transact_write_items


def _range_reads_for_s3():
    try:
        from moto.s3 import models, responses
    except ImportError:
        return
    fake_key = models.FakeKey
    original_value = fake_key.value
    if getattr(original_value.fget, "_connector_range_reads", False):
        return
    ranged = threading.local()
    plain_range = re.compile(r"bytes=(\d+)-(\d+)")

    class _RangeOfValue:
        """A key's value as moto's range handling uses it: its length, and slices read from the key's buffer."""

        def __init__(self, key):
            self.key = key
            self.size = key.size

        def __len__(self):
            return self.size

        def __bool__(self):
            return self.size > 0

        def __getitem__(self, item):
            if not isinstance(item, slice) or item.step not in (None, 1):
                return original_value.fget(self.key)[item]
            start, stop, _ = item.indices(self.size)
            with self.key.lock:
                self.key._value_buffer.seek(start)
                return self.key._value_buffer.read(max(0, stop - start))

    def value(self):
        if getattr(ranged, "active", False):
            return _RangeOfValue(self)
        return original_value.fget(self)

    value._connector_range_reads = True
    fake_key.value = property(value, original_value.fset)

    original_key_response = responses.S3Response.key_response

    @functools.wraps(original_key_response)
    def key_response(self, request, full_url, headers):
        match = plain_range.fullmatch(request.headers.get("range") or "")
        ranged.active = (
            request.method == "GET"
            and match is not None
            and int(match.group(1)) <= int(match.group(2))
            and set(parse_qs(urlparse(full_url).query)) <= {"versionId", "x-id"}
        )
        try:
            return original_key_response(self, request, full_url, headers)
        finally:
            ranged.active = False

    responses.S3Response.key_response = key_response


def _ebs_parent_snapshots():
    try:
        from moto.ebs import responses
    except ImportError:
        return
    original = responses.EBSResponse.start_snapshot
    if getattr(original, "_connector_parent", False):
        return

    @functools.wraps(original)
    def start_snapshot(self):
        answer = original(self)
        try:
            parent_id = json.loads(self.body).get("ParentSnapshotId")
        except (TypeError, ValueError):
            return answer
        if parent_id:
            snapshots = self.ebs_backend.snapshots
            parent = snapshots.get(parent_id)
            created = snapshots.get(json.loads(answer)["SnapshotId"])
            if parent is not None and created is not None:
                created.blocks = dict(parent.blocks)
        return answer

    start_snapshot._connector_parent = True
    responses.EBSResponse.start_snapshot = start_snapshot


_cache_jsonpath()
_item_rollback_for_transactions()
_range_reads_for_s3()
_ebs_parent_snapshots()
