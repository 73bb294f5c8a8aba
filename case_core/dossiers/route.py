"""Which judicial route the dossier recommends, and the CPC 750-1 check. Pure: no database.

The rules (DESIGN.md, « Judicial routes »):
- a claim seriously disputed, or an injonction de payer opposed, goes to the merits
  (assignation au fond);
- up to 5 000 € principal and interest, contractual or statutory cause, the simplified
  small-claims procedure run by a commissaire de justice (CPCE L125-1, R125-1 s.) comes first,
  unless it was already engaged in vain;
- a debt the debtor acknowledged (a signed plan then broken, a signed agreement) is not
  seriously disputable: référé-provision (CPC 835 al. 2 before the tribunal judiciaire,
  873 al. 2 before the tribunal de commerce);
- otherwise the injonction de payer (CPC 1405 s.) with the Cerfa of the competent court.
CPC 750-1: a claim up to 5 000 € brought by assignation before the tribunal judiciaire needs a
prior conciliation, mediation by a third party or procédure participative, or an exception;
the injonction de payer is not subject (Cour de cassation, avis of 25 September 2025).
The threshold amount is the principal and interest outstanding at the date (L125-1 speaks of
« principal et intérêts »), indemnities and costs apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents
from case_core.models import LabelledEnum, add_labels

SMALL_CLAIMS_LIMIT_CENTS = 5_000_00  # CPCE R125-1: 5 000 € principal and interest
CPC_750_1_LIMIT_CENTS = 5_000_00
CJE_THRESHOLD_CENTS = 50_000_00  # décret n° 2024-1225: claims above 50 000 €
# The twelve tribunaux de commerce that became tribunaux des activités économiques on
# 1 January 2025 (loi n° 2023-1059 art. 26; arrêté of 5 July 2024).
TAE_CITIES = (
    "Auxerre",
    "Avignon",
    "Le Havre",
    "Le Mans",
    "Limoges",
    "Lyon",
    "Marseille",
    "Nancy",
    "Nanterre",
    "Paris",
    "Saint-Brieuc",
    "Versailles",
)


class Route(LabelledEnum):
    SMALL_CLAIMS = "small_claims"
    INJONCTION = "injonction_de_payer"
    REFERE_PROVISION = "refere_provision"
    ASSIGNATION_FOND = "assignation_au_fond"


class Court(LabelledEnum):
    COMMISSAIRE = "commissaire"  # no court: the procedure runs before a commissaire de justice
    TRIBUNAL_JUDICIAIRE = "tribunal_judiciaire"
    TRIBUNAL_COMMERCE = "tribunal_commerce"
    JCP = "juge_contentieux_protection"


add_labels(
    {
        Route.SMALL_CLAIMS: "Procédure simplifiée de recouvrement des petites créances",
        Route.INJONCTION: "Injonction de payer",
        Route.REFERE_PROVISION: "Référé-provision",
        Route.ASSIGNATION_FOND: "Assignation au fond",
        Court.COMMISSAIRE: "Commissaire de justice (procédure extrajudiciaire)",
        Court.TRIBUNAL_JUDICIAIRE: "Tribunal judiciaire",
        Court.TRIBUNAL_COMMERCE: "Tribunal de commerce (ou tribunal des activités "
        "économiques là où il est institué)",
        Court.JCP: "Juge des contentieux de la protection (tribunal judiciaire)",
    }
)

CERFA = {
    Court.TRIBUNAL_JUDICIAIRE: "Cerfa n° 12948 (requête en injonction de payer devant le "
    "tribunal judiciaire)",
    Court.TRIBUNAL_COMMERCE: "Cerfa n° 12946 (requête en injonction de payer devant le "
    "tribunal de commerce ou le tribunal des activités économiques)",
    Court.JCP: "Cerfa n° 16040 (requête en injonction de payer devant le juge des "
    "contentieux de la protection)",
}


@dataclass(frozen=True)
class PriorAttempt:
    """A conciliation, mediation by a third party or procédure participative that took
    place before the claim (what CPC 750-1 asks for), as the dossier names it."""

    description: str
    ended_on: date | None = None
    exhibit_note: str | None = None  # e.g. « constat d'échec joint en pièce n° 7 »


@dataclass(frozen=True)
class RouteFacts:
    amount_cents: int  # principal + interest outstanding on the claims claimed, at the date
    commercial: bool  # a debt between traders: tribunal de commerce
    protection_matter: bool = False  # consumer credit, residential lease: the JCP's matters
    contractual_cause: bool = True  # invoices: a contract (or a statute) is the cause
    open_disputes: int = 0
    acknowledgements: tuple[str, ...] = ()  # e.g. « échéancier accepté le …, rompu le … »
    injunction_opposed: bool = False
    small_claims_failed: bool = False
    prior_attempts: tuple[PriorAttempt, ...] = ()


@dataclass(frozen=True)
class Check750:
    applies: bool
    satisfied: bool
    text: str


@dataclass(frozen=True)
class Recommendation:
    route: Route
    court: Court
    court_text: str
    cerfa: str | None
    reasons: list[str]
    check_750_1: Check750
    alternatives: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def route_label(self) -> str:
        return self.route.label


def _court(facts: RouteFacts) -> Court:
    if facts.commercial:
        return Court.TRIBUNAL_COMMERCE
    if facts.protection_matter:
        return Court.JCP
    return Court.TRIBUNAL_JUDICIAIRE


def _court_text(route: Route, court: Court) -> str:
    if route == Route.SMALL_CLAIMS:
        return Court.COMMISSAIRE.label
    if route == Route.REFERE_PROVISION:
        if court == Court.TRIBUNAL_COMMERCE:
            return "Président du tribunal de commerce statuant en référé (CPC 873 al. 2)"
        if court == Court.JCP:
            return "Juge des contentieux de la protection statuant en référé (CPC 835 al. 2)"
        return "Président du tribunal judiciaire statuant en référé (CPC 835 al. 2)"
    return court.label


def check_750_1(route: Route, court: Court, facts: RouteFacts) -> Check750:
    """Whether CPC 750-1 applies to the route, and the proof on file or the warning."""
    if route == Route.SMALL_CLAIMS:
        return Check750(False, True, "Article 750-1 du CPC sans objet : procédure extrajudiciaire.")
    if route == Route.INJONCTION:
        return Check750(
            False,
            True,
            "Article 750-1 du CPC non applicable : la requête en injonction de payer n'est "
            "pas soumise à la tentative préalable de règlement amiable (Cour de cassation, "
            "avis du 25 septembre 2025).",
        )
    if court == Court.TRIBUNAL_COMMERCE:
        return Check750(
            False,
            True,
            "Article 750-1 du CPC non applicable : il régit les demandes portées devant le "
            "tribunal judiciaire.",
        )
    if facts.amount_cents > CPC_750_1_LIMIT_CENTS:
        return Check750(
            False,
            True,
            f"Article 750-1 du CPC non applicable : la demande ({format_cents(facts.amount_cents)}"
            " en principal et intérêts) dépasse 5 000 €.",
        )
    if facts.prior_attempts:
        named = " ; ".join(
            a.description
            + (f", terminée le {format_date(a.ended_on)}" if a.ended_on else "")
            + (f" ({a.exhibit_note})" if a.exhibit_note else "")
            for a in facts.prior_attempts
        )
        return Check750(
            True,
            True,
            "Article 750-1 du CPC : demande d'au plus 5 000 € devant le tribunal judiciaire ; "
            f"tentative préalable de règlement amiable justifiée : {named}.",
        )
    if facts.small_claims_failed:
        return Check750(
            True,
            True,
            "Article 750-1 du CPC : demande d'au plus 5 000 € devant le tribunal judiciaire ; "
            "dispense justifiée : une procédure simplifiée de recouvrement des petites créances "
            "a été engagée en vain (CPC 750-1, 4°).",
        )
    return Check750(
        True,
        False,
        "ATTENTION — Article 750-1 du CPC : une demande d'au plus 5 000 € portée par "
        "assignation devant le tribunal judiciaire doit, à peine d'irrecevabilité, être "
        "précédée d'une tentative de conciliation, de médiation par un tiers ou de procédure "
        "participative, sauf exception (urgence manifeste, indisponibilité des conciliateurs "
        "au-delà de trois mois, procédure de petites créances engagée en vain, …). Aucune "
        "preuve n'est au dossier.",
    )


def recommend(facts: RouteFacts) -> Recommendation:
    """The route the dossier proposes, its reasons, the court and the 750-1 check."""
    court = _court(facts)
    amount = format_cents(facts.amount_cents)
    reasons: list[str] = []
    alternatives: list[str] = []
    small = facts.amount_cents <= SMALL_CLAIMS_LIMIT_CENTS
    if facts.injunction_opposed:
        route = Route.ASSIGNATION_FOND
        reasons.append(
            "Une injonction de payer a fait l'objet d'une opposition : le litige doit être "
            "tranché au fond."
        )
    elif facts.open_disputes:
        route = Route.ASSIGNATION_FOND
        reasons.append(
            f"La créance est contestée ({facts.open_disputes} contestation(s) non résolue(s)) : "
            "une contestation sérieuse exclut le référé-provision et exposerait une injonction "
            "de payer à l'opposition."
        )
    elif not facts.contractual_cause:
        route = Route.ASSIGNATION_FOND
        reasons.append(
            "La créance n'a pas une cause contractuelle ou statutaire : ni la procédure de "
            "petites créances ni l'injonction de payer ne sont ouvertes."
        )
    elif small and not facts.small_claims_failed:
        route = Route.SMALL_CLAIMS
        reasons.append(
            f"Montant en principal et intérêts de {amount}, au plus 5 000 €, de cause "
            "contractuelle : procédure simplifiée de recouvrement des petites créances par "
            "commissaire de justice (CPCE L125-1, R125-1 s.). Le débiteur dispose d'un mois "
            "pour accepter ; son silence vaut refus ; l'accord constaté vaut titre exécutoire ; "
            "les frais de la procédure restent à la charge du créancier."
        )
        alternatives.append(
            "En cas de refus ou de silence du débiteur : injonction de payer ("
            + CERFA[court]
            + ")."
        )
    elif facts.acknowledgements:
        route = Route.REFERE_PROVISION
        reasons.append(
            "L'obligation n'est pas sérieusement contestable : "
            + " ; ".join(facts.acknowledgements)
            + ". Référé-provision (CPC 835 al. 2 / 873 al. 2)."
        )
        alternatives.append(f"Injonction de payer ({CERFA[court]}).")
    else:
        route = Route.INJONCTION
        reasons.append(
            f"Créance contractuelle d'un montant déterminé ({amount} en principal et intérêts), "
            "sans contestation enregistrée : injonction de payer (CPC 1405 s.)."
        )
    if route in (Route.SMALL_CLAIMS, Route.INJONCTION) and facts.small_claims_failed and small:
        reasons.append("Une procédure de petites créances a déjà été engagée en vain.")
    if route != Route.SMALL_CLAIMS and court == Court.JCP:
        reasons.append(
            "Le juge des contentieux de la protection est compétent (crédit à la "
            "consommation, bail d'habitation ou autre matière qui lui est attribuée)."
        )
    if route != Route.SMALL_CLAIMS and court == Court.TRIBUNAL_COMMERCE:
        reasons.append(
            "Dette commerciale entre professionnels : compétence du tribunal de commerce "
            "(tribunal des activités économiques dans les douze ressorts de l'expérimentation)."
        )
    check = check_750_1(route, court, facts)
    warnings: list[str] = []
    if not check.satisfied:
        warnings.append(check.text)
        alternatives.append(
            f"L'injonction de payer ({CERFA[court]}) n'est pas soumise à l'article 750-1."
        )
    if court == Court.TRIBUNAL_COMMERCE and facts.amount_cents > CJE_THRESHOLD_CENTS:
        warnings.append(
            "Contribution pour la justice économique : devant un tribunal des activités "
            f"économiques ({', '.join(TAE_CITIES)}), une demande de plus de 50 000 € "
            f"({amount}) d'un demandeur employant plus de 250 salariés y est soumise, "
            "à peine d'irrecevabilité, y compris pour une requête en injonction de payer "
            "(loi n° 2023-1059 art. 27, décret n° 2024-1225)."
        )
    return Recommendation(
        route=route,
        court=court if route != Route.SMALL_CLAIMS else Court.COMMISSAIRE,
        court_text=_court_text(route, court),
        cerfa=CERFA[court] if route == Route.INJONCTION else None,
        reasons=reasons,
        check_750_1=check,
        alternatives=alternatives,
        warnings=warnings,
    )
