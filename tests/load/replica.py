"""One replica of the app's service layer, in its own OS process with its own connection
pool, running SESSIONS concurrent user sessions against the shared database.

    python -m tests.load.replica '{"replica": 0, "sessions": 10, "rounds": 3,
                                    "references": [...], "actor": {...}}'

Each session, each round, on the case its turn names: books a payment, logs a contact and
edits the case's next action with the version it read (a StaleVersion refusal is read
again and retried, as a user reloading the page would). Prints one JSON line: what was
done (to check against the database) and every error that was not a clean refusal.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from case_core.cases.lifecycle import set_next_action
from case_core.journal.contacts import ContactInput, log_contact
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import StaleVersion
from case_core.models import Case, Channel, ContactOutcome, Role
from case_core.payments.service import PaymentInput, record_payment

RETRIES = 50


def _version(reference: str) -> int:
    with read_session() as session:
        return session.exec(select(Case.version).where(Case.reference == reference)).one()


def session_run(
    actor: Actor,
    replica: int,
    session: int,
    rounds: int,
    references: list[str],
    done: dict[str, Any],
) -> None:
    for n in range(rounds):
        reference = references[(replica + session + n) % len(references)]
        try:
            cents = 100 * (replica + 1) + 10 * session + n
            record_payment(
                actor,
                reference,
                PaymentInput(date(2026, 1, 5), cents, reference=f"R{replica}-S{session}-{n}"),
                confirm_duplicate=True,
            )
            done["payments"].append([reference, cents])
            log_contact(
                actor,
                reference,
                ContactInput(
                    Channel.EMAIL_OUT, ContactOutcome.NO_ANSWER, note=f"R{replica}S{session}"
                ),
            )
            done["contacts"].append(reference)
            note = f"Rappel R{replica}-S{session}-{n}"
            for _attempt in range(RETRIES):
                try:
                    set_next_action(
                        actor,
                        reference,
                        today_paris() + timedelta(days=7),
                        note,
                        _version(reference),
                    )
                    done["edits"].append([reference, note])
                    break
                except StaleVersion:
                    done["stale"] += 1
            else:
                done["errors"].append(f"{note}: still stale after {RETRIES} tries")
        except Exception as exc:  # every other error is reported and fails the test
            done["errors"].append(f"{type(exc).__name__}: {exc}")


def main() -> None:
    args = json.loads(sys.argv[1])
    actor = Actor(**{**args["actor"], "role": Role(args["actor"]["role"])})
    done: dict[str, Any] = {"payments": [], "contacts": [], "edits": [], "stale": 0, "errors": []}
    threads = [
        threading.Thread(
            target=session_run,
            args=(actor, args["replica"], s, args["rounds"], args["references"], done),
        )
        for s in range(args["sessions"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(done))


if __name__ == "__main__":
    main()
