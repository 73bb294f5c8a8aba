"""Engine and sessions: one transaction per action.

SQLite runs in WAL mode with foreign keys on, and write transactions start with
`BEGIN IMMEDIATE` so that two writers never both read a state they then overwrite
(the audit hash chain and the case reference counter depend on it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, create_engine

from case_core.kernel import config
from case_core.kernel.column_guard import refuse_nul_parameters

_engines: dict[str, Engine] = {}
_lock = threading.Lock()
# The read session a page run shares among its reads (see shared_reads). A context
# variable: each Streamlit script thread has its own, and threads started by the app
# (background figures) start without one.
_shared: ContextVar[Session | None] = ContextVar("casedesk_shared_reads", default=None)
SHARED_KEY = "casedesk_shared_reads"
MEMO_KEY = "casedesk_per_run"
T = TypeVar("T")


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself, so it can choose IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's own lower() folds ASCII only ("ÉLECTRICITÉ" stays); use Python's, so
        # that name searches behave as on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: `CASEDESK_DATABASE_URL`)."""
    url = url or config.database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                engine = create_engine(url, connect_args={"check_same_thread": False})
                _configure_sqlite(engine)
            else:
                engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
            event.listen(engine, "before_cursor_execute", refuse_nul_parameters)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, backup)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def refresh_planner_statistics(url: str | None = None) -> None:
    """After a bulk load into a new database (the demo): PostgreSQL plans from table
    statistics that autovacuum gathers only some time later. Without them it took a
    collector's 30 000 cases for a few rows and « Ma journée » ran for minutes at 100 000
    cases (620 ms once analysed). SQLite keeps no statistics unless asked: left alone."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A write transaction: commit on success, roll back everything on any error."""
    engine = get_engine(url)
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
    end_shared_reads()


@contextmanager
def shared_reads() -> Iterator[None]:
    """Every read_session() of the block uses one session: one transaction, one snapshot,
    and rows a read loaded (the case by its reference) reused by the next reads of the
    page run instead of queried again. A write committed in the block ends that read
    transaction, so that what is read after a write sees it."""
    if _shared.get() is not None:
        yield
        return
    with Session(get_engine(), expire_on_commit=False) as session:
        session.info[SHARED_KEY] = True
        # The identity map holds rows weakly: a party a header read and dropped would be
        # queried again by the statement. Held here for the run (or until a write).
        event.listen(session, "loaded_as_persistent", _hold)
        token = _shared.set(session)
        try:
            yield
        finally:
            _shared.reset(token)
            session.close()


def end_shared_reads() -> None:
    """The next read of the block starts a new transaction and loads rows afresh."""
    session = _shared.get()
    if session is not None:
        session.close()  # ends the transaction; what was returned stays readable
        session.info.clear()
        session.info[SHARED_KEY] = True


def _hold(session: Session, instance: object) -> None:
    session.info.setdefault(MEMO_KEY, {}).setdefault("loaded", []).append(instance)


def is_shared(session: Session) -> bool:
    return bool(session.info.get(SHARED_KEY))


def per_run(session: Session, key: Hashable, load: Callable[[], T]) -> T:
    """`load()` once per page run in the shared read session (forgotten at a write);
    in any other session, every time."""
    if not is_shared(session):
        return load()
    memo: dict[Hashable, Any] = session.info.setdefault(MEMO_KEY, {})
    if key not in memo:
        memo[key] = load()
    return memo[key]  # type: ignore[no-any-return]


@contextmanager
def read_session(url: str | None = None) -> Iterator[Session]:
    """A read-only transaction; nothing it does is committed. Inside shared_reads() (a
    page run), the run's one read session."""
    shared = _shared.get()
    if shared is not None and (url is None or shared.get_bind() is get_engine(url)):
        yield shared
        return
    # close() (not rollback()) ends the transaction without expiring loaded objects,
    # so what a service returns stays readable.
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.close()
