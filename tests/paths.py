"""Where things are, for tests in any folder: the project root and the recorded test files."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CASE_CORE = ROOT / "case_core"
TEMPLATES = ROOT / "templates_docx"
