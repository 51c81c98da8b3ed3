"""The web editor (Decap CMS): its config generated from the schema, and `cchc studio`."""
