"""The `casedesk` command line. Each capability adds its commands in a module of its own."""

from __future__ import annotations

import sys

import click

from case_core.cli import (
    admin_commands,
    creditor_commands,
    demo_commands,
    dossier_commands,
    export_commands,
    import_commands,
    payment_commands,
    privacy_commands,
    rate_commands,
    restore_commands,
    statement_commands,
)
from case_core.kernel.logs import setup_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """casedesk : recouvrement amiable et médiation de créances."""


for module in (
    admin_commands,
    creditor_commands,
    demo_commands,
    statement_commands,
    export_commands,
    import_commands,
    payment_commands,
    dossier_commands,
    privacy_commands,
    rate_commands,
    restore_commands,
):
    module.register(cli)


def main() -> None:
    setup_logging()
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
