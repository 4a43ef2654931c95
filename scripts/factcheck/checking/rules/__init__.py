"""The checker's rules, one module per family; each module's ``check(context)`` returns its problems."""
