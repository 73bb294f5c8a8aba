"""Files for the import tests, generated the way users and accounting packages write them."""

from __future__ import annotations

from stdnum import luhn

from case_core.cases.parties import PartyInput, add_party
from case_core.kernel.actor import Actor
from case_core.models import PartyKind

HEADERS = [
    "N° facture",
    "Date facture",
    "Date d'échéance",
    "Montant TTC",
    "Raison sociale",
    "SIREN",
    "E-mail",
    "Téléphone",
    "Type de débiteur",
    "Code postal",
    "Ville",
]
CREDITOR_SIREN = "732829320"


def siren_for(n: int) -> str:
    body = f"{40_000_000 + n:08d}"
    return body + luhn.calc_check_digit(body)


def make_creditor(
    actor: Actor, siren: str = CREDITOR_SIREN, name: str = "Fournitures Dupont SA"
) -> int:
    return add_party(actor, PartyInput(kind=PartyKind.COMPANY, company_name=name, siren=siren)).id


def good_row(i: int, debtors: int = 2000) -> list[str]:
    d = i % debtors
    euros, cents = 100 + (i * 37) % 9000, i % 100
    return [
        f"F-{i:05d}",
        f"{1 + i % 28:02d}/0{1 + i % 9}/2025",
        f"{1 + i % 28:02d}/0{1 + i % 9}/2026",
        f"{euros:,}".replace(",", " ") + f",{cents:02d}",
        f"Société n°{d} & Fils",
        siren_for(d),
        f"compta{d}@client{d}.fr",
        f"06 {10 + d // 100 % 90:02d} {d % 100:02d} 45 67",
        "Professionnel",
        f"{75001 + d % 20}",
        "Paris",
    ]


# (column, the bad value, a word the reason must contain)
BAD_KINDS: list[tuple[str, str, str]] = [
    ("Montant TTC", "12,345", "décimales"),
    ("Montant TTC", "abc", "illisible"),
    ("Montant TTC", "-5,00", "supérieur à zéro"),
    ("N° facture", "", "obligatoire"),
    ("Date d'échéance", "31/02/2026", "illisible"),
    ("Date d'échéance", "01/01/2020", "précéder"),
    ("SIREN", "123456789", "SIREN invalide"),
    ("E-mail", "pas-un-mail", "e-mail invalide"),
    ("Téléphone", "12345", "éléphone"),
    ("Code postal", "ABCDE", "Code postal invalide"),
    ("Type de débiteur", "martien", "Type de débiteur inconnu"),
    ("Raison sociale", "", "obligatoire"),
    ("N° facture", "X" * 61, "trop long"),
]


def invoice_rows(
    total: int = 10_000, bad_count: int = 37, debtors: int = 2000
) -> tuple[str, dict[int, tuple[str, str]]]:
    """A ';' CSV of `total` invoices of `debtors` debtors, `bad_count` of them bad in varied
    ways (one fault each, plus one duplicated invoice number); returns the text and
    {file line: (column, word)}. The benchmark imports 10 000 rows, the test 1 000."""
    step = (total - 50) // bad_count
    rows = [good_row(i, debtors) for i in range(total)]
    expected: dict[int, tuple[str, str]] = {}
    kinds = [*BAD_KINDS, ("N° facture", "duplicate", "déjà présente")]
    for n in range(bad_count):
        i = 50 + n * step
        column, value, word = kinds[n % len(kinds)]
        if value == "duplicate":
            value = rows[i - 1][0]
        rows[i][HEADERS.index(column)] = value
        expected[i + 2] = (column, word)  # line 1 is the header
    lines = [";".join(HEADERS)] + [";".join(r) for r in rows]
    return "\r\n".join(lines) + "\r\n", expected
