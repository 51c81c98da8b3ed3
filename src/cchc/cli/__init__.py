"""The staff command line: cchc new | check | build | serve | devserver | import."""
