"""`cchc import`: bring the old portal over (Plone exports, saved pages) as checked Markdown.

One module per step, each testable alone:

1. parse, per source kind: :mod:`.sources` finds the files, decodes their bytes and recognises
   the format from the content, then hands them to :mod:`.plone` (plone.restapi responses,
   collective.exportimport / plone.exportimport JSON, redirects.json), :mod:`.html_page`
   (saved HTML pages) or :mod:`.text_page` (pages saved as plain text); each gives
   :class:`~.record.Record` objects. The guessing rules they share (datelines, bylines,
   boilerplate, inferred facts) are in :mod:`.heuristics`;
2. :mod:`.clean` applies the shared rules to one record (document numbers, dates, inferred
   locality/areas/summary, each flagged in ``warnings``);
3. :mod:`.link` resolves Plone ``resolveuid`` links, redirect chains and old-path conflicts
   across the whole batch;
4. :mod:`.write` renders front matter + body, checks it with the content schema and writes it
   without ever replacing an existing file;
5. :mod:`.report` writes the JSON report and the terminal summary.

:mod:`.command` runs them in order (:func:`run`) and is what `cchc import` calls (:func:`main`).
The text rules that are core (NFC, folding, slugs, dates, document numbers) come from ``cchc.core``.
"""

from .clean import clean
from .command import main, run
from .link import link
from .record import Record
from .sources import parse_file
from .write import render, write

__all__ = ["Record", "clean", "link", "main", "parse_file", "render", "run", "write"]
