"""Give GeoDjango an sqlite3 module that can load the SpatiaLite extension.

Some CPython builds (pyenv's default among them) are compiled without
``enable_load_extension``. There, the ``pysqlite3`` package, built from source
against the system's SQLite (the one libspatialite was built with), stands in
for the standard module. It lacks ``Connection.getlimit`` and the
``SQLITE_LIMIT_*`` constants that Django 6 reads, so they are added here with
SQLite's compile-time defaults.
"""

from __future__ import annotations

import sqlite3
import sys
import types
from typing import Any

# SQLite's default compile-time limits (sqlite3.h, "Run-Time Limits").
_LIMITS = {
    "SQLITE_LIMIT_LENGTH": (0, 1_000_000_000),
    "SQLITE_LIMIT_SQL_LENGTH": (1, 1_000_000_000),
    "SQLITE_LIMIT_COLUMN": (2, 2000),
    "SQLITE_LIMIT_EXPR_DEPTH": (3, 1000),
    "SQLITE_LIMIT_COMPOUND_SELECT": (4, 500),
    "SQLITE_LIMIT_VDBE_OP": (5, 250_000_000),
    "SQLITE_LIMIT_FUNCTION_ARG": (6, 127),
    "SQLITE_LIMIT_ATTACHED": (7, 10),
    "SQLITE_LIMIT_LIKE_PATTERN_LENGTH": (8, 50_000),
    "SQLITE_LIMIT_VARIABLE_NUMBER": (9, 32_766),
    "SQLITE_LIMIT_TRIGGER_DEPTH": (10, 1000),
    "SQLITE_LIMIT_WORKER_THREADS": (11, 0),
}


def stdlib_can_load_extensions() -> bool:
    """Tell whether the interpreter's own sqlite3 can load SpatiaLite."""
    return hasattr(sqlite3.Connection, "enable_load_extension")


def install() -> None:
    """Replace ``sqlite3`` by pysqlite3 when the standard module cannot load extensions."""
    if stdlib_can_load_extensions() or getattr(sys.modules["sqlite3"], "_agglo_compat", False):
        return
    from pysqlite3 import dbapi2

    defaults = {number: value for number, value in _LIMITS.values()}

    class Connection(dbapi2.Connection):
        def getlimit(self, category: int) -> int:
            return defaults[category]

    def connect(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("factory", Connection)
        return dbapi2.connect(*args, **kwargs)

    module = types.ModuleType("sqlite3")
    module.__dict__.update({k: v for k, v in vars(dbapi2).items() if not k.startswith("__")})
    module.__dict__.update({name: number for name, (number, _) in _LIMITS.items()})
    module.Connection = Connection
    module.connect = connect
    module.dbapi2 = module
    module._agglo_compat = True
    sys.modules["sqlite3"] = module
    sys.modules["sqlite3.dbapi2"] = module
