"""The kernel: database, the write mechanism, audit, permissions, errors, settings,
money, dates and input validation. Every capability builds on it; it builds on none."""
