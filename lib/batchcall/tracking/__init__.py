"""Following batches: the local progress store and the change feed that fills it."""
