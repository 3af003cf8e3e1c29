"""`huiyin`: the operator's command line."""
