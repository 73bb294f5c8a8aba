"""Who the creditor is, as the law asks it, pure.

Two rules turn on whether the creditor acts for professional needs, not on whether it is a
person or a company:
- the legal-rate category (Code monétaire et financier L313-2): the higher rate applies to a
  creditor « personne physique n'agissant pas pour des besoins professionnels », the other
  rate to every other creditor (any company, any professional, a sole trader included);
- the two-year limitation of a professional's claim against a consumer (Code de la
  consommation L218-2); a non-professional creditor keeps the common five years (C. civ. 2224).
"""

from __future__ import annotations

from case_core.models import DebtorKind, PartyKind


def presumed_professional(kind: PartyKind | str, siren: str | None) -> bool:
    """A company, or a person registered with a SIREN (sole trader, craftsman, liberal
    profession), invoices for professional needs; a private individual does not."""
    return PartyKind(kind) == PartyKind.COMPANY or bool((siren or "").strip())


def private_creditor_rate(professional: bool, natural_person: bool) -> bool:
    """True when the legal rate is the one of a natural person not acting professionally."""
    return natural_person and not professional


def import_creditor_note(kind: PartyKind | str, siren: str | None) -> str:
    """What an invoice import presumes of its creditor, and what follows, in French."""
    if presumed_professional(kind, siren):
        return (
            "Créancier professionnel (société ou entrepreneur immatriculé au SIREN) : envers un "
            "professionnel, pénalités L441-10 et indemnité forfaitaire de 40 € par facture ; "
            "envers un consommateur, taux légal « autres cas » et prescription de 2 ans "
            "(Code de la consommation L218-2)."
        )
    return (
        "Créancier personne physique sans SIREN, présumé agir hors besoins professionnels : "
        "taux légal des particuliers (CMF L313-2) et prescription de 5 ans (Code civil 2224)."
    )


def creditor_consequences(
    professional: bool, debtor_kind: DebtorKind | str, natural_person: bool | None = None
) -> str:
    """What the choice changes, in French, for the intake form and the import."""
    consumer = DebtorKind(debtor_kind) == DebtorKind.CONSUMER
    if professional:
        if consumer:
            return (
                "Créance d'un professionnel sur un consommateur : intérêts au taux légal "
                "« autres cas » (CMF L313-2) à compter de la mise en demeure ; prescription de "
                "2 ans (Code de la consommation L218-2), à compter de l'achèvement de la "
                "prestation."
            )
        return (
            "Créance entre professionnels : pénalités de retard de l'article L441-10 du Code de "
            "commerce dès le lendemain de l'échéance, indemnité forfaitaire de 40 € par "
            "facture ; prescription de 5 ans."
        )
    if natural_person is False:
        rate = "taux légal « autres cas » (le créancier n'est pas une personne physique)"
    elif natural_person:
        rate = "taux légal des particuliers (personne physique hors besoins professionnels)"
    else:
        rate = (
            "taux légal des particuliers si le créancier est une personne physique, "
            "« autres cas » sinon"
        )
    return (
        f"Créancier hors besoins professionnels : {rate} (CMF L313-2) ; prescription de "
        "5 ans (Code civil 2224), la prescription de 2 ans de L218-2 ne s'applique pas."
    )
