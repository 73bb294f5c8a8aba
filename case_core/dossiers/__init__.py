"""The judicial-referral dossier: route, recipients, document, exhibits, hand-over."""
