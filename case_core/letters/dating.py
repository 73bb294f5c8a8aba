"""The date a letter bears (pure rule).

A letter is dated the day it is made. An earlier date only records a letter already sent (a
reminder posted before it was entered in the app): the user says so and confirms that date,
which is never in the future and never before the case existed."""

from __future__ import annotations

from datetime import date

from case_core.kernel.dates import format_date
from case_core.kernel.errors import ValidationError


def check_letter_date(
    at: date, today: date, already_sent: bool, reference: str, case_opened_on: date
) -> None:
    """Raise a French ValidationError (field « letter_date ») unless `at` may be the date."""
    if at > today:
        raise ValidationError(
            {
                "letter_date": f"Un courrier ne peut pas être daté dans le futur "
                f"({format_date(at)} ; nous sommes le {format_date(today)})."
            }
        )
    if at == today:
        return
    if not already_sent:
        raise ValidationError(
            {
                "letter_date": f"Un courrier est daté du jour où il est établi "
                f"({format_date(today)}). Pour enregistrer un courrier déjà envoyé le "
                f"{format_date(at)}, choisissez « Enregistrer un courrier déjà envoyé » et "
                "confirmez sa date d'envoi."
            }
        )
    if at < case_opened_on:
        raise ValidationError(
            {
                "letter_date": f"Le dossier {reference} a été ouvert le "
                f"{format_date(case_opened_on)} : un courrier enregistré sur ce dossier ne peut "
                f"pas être daté d'avant ({format_date(at)})."
            }
        )
