"""Speeds up the AWS emulator (moto_server) that tests and the local stack run; nothing else imports this.

Python imports a module named ``sitecustomize`` from the path at start-up: ``./connector up`` and the tests'
``MotoServer`` put this directory on ``PYTHONPATH`` when they start moto_server. Two costs of moto 5.2 grow with
what the emulator holds and dominate the connector's tests and its local stack; both are removed here without
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

One EBS direct-API parameter moto 5.2 ignores is honoured here, as EBS does:

3. ``StartSnapshot``'s ``ParentSnapshotId``: the new snapshot starts with its parent's blocks (the same block
   objects; a later ``PutSnapshotBlock`` replaces an entry, never the parent's block). The background-jobs
   emulator shim makes each backup's snapshot of a volume as a child of the volume's seeded content, so it puts no
   block at all instead of copying every block through HTTP (seconds per backup); it checks that the blocks were
   inherited and copies them itself when they were not (a moto started without this file).
"""

import copy as _copy
import functools
import json
import threading


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
_ebs_parent_snapshots()
