"""What each dashboard figure means, in French: shown beside each chart (help tooltip)
and copied into the README."""

from __future__ import annotations

AGEING = (
    "Solde hors intérêts des dossiers non clos, réparti sur leurs factures en affectant les "
    "paiements aux plus anciennes d'abord, puis classé selon le nombre de jours écoulés depuis "
    "l'échéance de chaque facture (une facture échue aujourd'hui est « non échue »). Les "
    "tranches couvrent tous les cas : leur somme est toujours l'encours total. Un dossier "
    "ayant des factures dans plusieurs tranches compte dans chacune."
)
CASH = (
    "Encaissé : paiements nets (rejets déduits) reçus dans le mois. Attendu : échéances des "
    "échéanciers en cours (actifs ou en déchéance du terme) tombant dans le mois. Prévision : "
    "à partir d'aujourd'hui et sur six mois, la part non encore payée des échéances et des "
    "promesses de paiement non annulées (un dossier sous échéancier compte par son échéancier)."
)
COHORTS = (
    "Pour les dossiers confiés un mois donné (date de création) : encaissé net ÷ montant "
    "confié (principal des factures), cumulé mois après mois depuis la confiance (M+0 = le "
    "mois de confiance ; un paiement antérieur à la confiance compte en M+0)."
)
PROMISES = (
    "Promesses faites dans la période par chaque chargé (hors promesses annulées par une "
    "correction), avec leur état d'aujourd'hui selon la règle du journal : tenue si tout est "
    "payé, non tenue ou partiellement tenue si un paiement promis manque après le délai de "
    "grâce. Taux de promesses tenues = tenues ÷ (tenues + partiellement tenues + non tenues)."
)
ACTIVITY = (
    "Contacts journalisés par jour, chargé, canal et résultat sur les 31 derniers jours de la "
    "période ; par chargé, sur toute la période (une entrée corrigée ne compte pas, sa "
    "correction compte). Taux de contact utile : part des appels "
    "(entrants ou sortants) ayant joint le débiteur lui-même (ni messagerie, ni absence de "
    "réponse, ni faux numéro). Sans contact depuis 30 jours : dossiers non clos avec un solde, "
    "jamais contactés ou dont le dernier contact a plus de 30 jours."
)
DSO = (
    "DSO par la méthode de l'épuisement (countback) : on remonte les mois en retranchant de "
    "l'encours du créancier les montants confiés chaque mois ; chaque mois entièrement couvert "
    "ajoute ses jours, le premier mois non couvert ajoute la fraction couverte de ses jours "
    "(mois en cours : jours écoulés ; 24 mois au plus)."
)
CEI = (
    "CEI = (encours d'ouverture + confié − encours de clôture) ÷ (encours d'ouverture + confié "
    "− encours non échu de clôture) × 100. Encours à une date : principal confié avant elle, "
    "moins les paiements nets enregistrés avant elle ; non échu : principal confié dont "
    "l'échéance est après la fin du mois."
)
PLANS_RISKS = (
    "Échéanciers en cours selon l'état du tableau « Échéanciers » (soldé, rompu après le "
    "nombre d'échéances impayées fixé dans les paramètres, déchéance du terme). Prescription "
    "proche : dossiers non clos avec un solde dont la prescription tombe dans le délai "
    "d'alerte des paramètres (« Ma journée »). Contestations en cours : non résolues."
)
MEDIATIONS = (
    "Séances tenues : séances de médiation comptes rendus, par mois de la séance (une séance "
    "annulée ne compte pas). Médiations terminées : celles dont la date de fin tombe dans la "
    "période, par issue. Taux d'accord : accords et accords partiels ÷ médiations terminées. "
    "Montants : pour les médiations terminées par un accord (total ou partiel) dont l'accord "
    "est enregistré, montant de l'accord face au principal des factures du dossier (ce que "
    "réclame le créancier). Chiffres agrégés seulement : rien de ce qui est dit ou écrit en "
    "séance n'est lu."
)
HANDOVERS = (
    "Dossiers transmis à un commissaire de justice ou à un avocat, comptés une fois, au mois "
    "de leur première transmission. Montant transmis : encours du dossier à cet instant "
    "(principal confié avant lui, moins les paiements nets enregistrés avant lui). Recouvré "
    "après transmission : paiements nets enregistrés sur le dossier depuis. Déclaré par les "
    "destinataires : montants recouvrés qu'ils ont signalés (issue de la transmission), "
    "montrés à part car le même argent peut aussi être enregistré comme paiement. Taux : "
    "recouvré après transmission ÷ montant transmis."
)
