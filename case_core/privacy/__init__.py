"""Data protection: access export, the requests register, erasure by anonymisation and
retention (GDPR; CNIL référentiel on unpaid-debt management)."""
