"""Build glue for the dropout site: run the examples once, feed their results to MkDocs."""
