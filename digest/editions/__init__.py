"""Selection and the edition lifecycle."""
