"""Logging setup: text by default, JSON lines when `CASEDESK_LOG_FORMAT=json`.

No personal data goes into the logs. Services log what happened by codes and ids (an
action code, an actor id, a case id, a count, a duration), never names, addresses, e-mails,
bank details or free text; errors by their class and where they were raised, never their
message (a French message, or a database error, may quote what the user typed). As a safety
net every record is also scrubbed of anything shaped like an e-mail, an IBAN or a phone
number before it is written.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

LOGGER_NAME = "casedesk"
FORMAT_ENV = "CASEDESK_LOG_FORMAT"
LEVEL_ENV = "CASEDESK_LOG_LEVEL"
MASK = "[masqué]"

# The fields a record may carry besides its message (`extra=` of the logging call).
FIELDS = (
    "action",
    "actor_id",
    "case_id",
    "entity",
    "entity_id",
    "count",
    "duration_ms",
    "error",
    "command",
    "outcome",
)
_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail
    re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),  # IBAN
    # Phone numbers: French (06 12 34 56 78, +33 6 12…) and E.164; not a case reference.
    re.compile(r"(?<![\w-])(?:\+33 ?|0)\d(?:[ .]?\d{2}){4}(?![\w-])"),
    re.compile(r"(?<![\w-])\+\d{8,15}(?![\w-])"),
]
_HANDLER_FLAG = "_casedesk_handler"


def scrub(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def _stack(record: logging.LogRecord) -> list[str] | None:
    """Where an error came from (file, line, function), without its message or locals."""
    if not record.exc_info or record.exc_info[1] is None:
        return None
    frames = traceback.extract_tb(record.exc_info[2])
    return [f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno}:{f.name}" for f in frames[-8:]]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the allowed fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = scrub(value) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["stack"] = _stack(record)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines; the same scrubbing and no exception message either."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(
            f"{name}={getattr(record, name)}"
            for name in FIELDS
            if getattr(record, name, None) is not None
        )
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {record.getMessage()}"
        if fields:
            line += f" {fields}"
        if record.exc_info and record.exc_info[0] is not None:
            line += f" exc_type={record.exc_info[0].__name__} stack={_stack(record)}"
        return scrub(line)


def log_format() -> str:
    return "json" if os.environ.get(FORMAT_ENV, "").strip().lower() == "json" else "text"


def setup_logging(stream: Any = None) -> logging.Handler:
    """Attach one handler to the `casedesk` logger (again: replaces it, so tests and a
    Streamlit rerun do not stack handlers). Returns the handler."""
    logger = logging.getLogger(LOGGER_NAME)
    for old in [h for h in logger.handlers if getattr(h, _HANDLER_FLAG, False)]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format() == "json" else TextFormatter())
    setattr(handler, _HANDLER_FLAG, True)
    logger.addHandler(handler)
    logger.setLevel(os.environ.get(LEVEL_ENV, "INFO").upper())
    # Our records are written once, by our handler, not again by the root logger's.
    logger.propagate = False
    return handler


def get_logger(name: str) -> logging.Logger:
    """A child of the `casedesk` logger (`casedesk.<name>`)."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}")
