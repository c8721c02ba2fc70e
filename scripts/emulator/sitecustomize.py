"""Speeds up the AWS emulator (moto_server) that tests and the local stack run; nothing else imports this.

Python imports a module named ``sitecustomize`` from the path at start-up: ``./connector up`` and the tests'
``MotoServer`` put this directory on ``PYTHONPATH`` when they start moto_server.

moto 5.2's EventBridge renders every matched target's input through ``EventTemplateParser.parse``, which compiles
eight JSONPath expressions with ``jsonpath_ng.ext.parse`` each time, and that builds a new PLY parser per call
(~90-300 ms each). So every ``PutEvents`` took 1-3 s with the connector's six inbox rules, and the services publish
an event for every job step. The expressions are the same few constants, so their compiled form is cached here:
``PutEvents`` takes 15-30 ms. A compiled expression is immutable (``find`` only reads it), so sharing it is safe.
"""

import functools

try:
    import jsonpath_ng.ext as _jsonpath_ext
except ImportError:  # not moto's interpreter, or another moto: nothing to speed up
    _jsonpath_ext = None

if _jsonpath_ext is not None and not hasattr(_jsonpath_ext.parse, "cache_info"):
    _jsonpath_ext.parse = functools.lru_cache(maxsize=1024)(_jsonpath_ext.parse)
