"""Field kinds: everything about a field type in one place (as OpenFisca's ``VALUE_TYPES``)."""
