"""Each dashboard figure's definition is the help beside its title on the page and is
written, word for word, in the README's definitions list."""

from __future__ import annotations

import re

from case_core.models import Role
from case_core.reports import definitions
from tests.apptest_helpers import make_user, signed_in_app
from tests.conftest import make_admin
from tests.paths import ROOT

TEXTS = {
    name: value
    for name, value in vars(definitions).items()
    if name.isupper() and isinstance(value, str)
}


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_definition_is_in_the_readme() -> None:
    readme = _words((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"MEDIATIONS", "HANDOVERS"} <= set(TEXTS)
    missing = [name for name, text in TEXTS.items() if _words(text) not in readme]
    assert not missing


def test_every_definition_is_a_help_tooltip_on_the_page(sqlite_url: str) -> None:
    admin = make_admin()
    manager = make_user(admin, "manager@example.fr", Role.MANAGER)
    at = signed_in_app(manager, page="pages/dashboard.py")
    assert not at.exception, at.exception
    helps = {s.proto.help for s in at.subheader} | {m.proto.help for m in at.metric}
    assert not [name for name, text in TEXTS.items() if text not in helps]
