"""Documents of a case: uploaded or generated, stored by sha256."""
