"""CPU time of validating posts (what `cchc check` and the reader both do) against converting them.

    .venv/bin/python -m bench.check_cost [POSTS]

Generates the bench corpus (bench/corpus.py, fixed seed) of POSTS posts (2,000 by default) in a
temporary folder and prints the process CPU time of: ``schema.read_document`` over every post
(split, YAML, schema: done by the check and again by the reader in a cold build), the Markdown
conversion and sanitising (the reader only), and the check's whole ``check_tree``. See
docs/architecture.md ("Each post is validated twice in a cold build").
"""

import sys
import tempfile
import time
from pathlib import Path

from markdown import Markdown

from bench.corpus import generate
from cchc.core import sanitize
from cchc.core.files import read_source
from cchc.core.schema import check_tree, content_files, read_document


def main(posts=2000):
    with tempfile.TemporaryDirectory() as tmp:
        root = str(Path(tmp) / "content")
        generate(posts, root)
        texts = [(str(f), read_source(root, f)) for f in content_files(root)]
        start = time.process_time()
        docs = [read_document(path, text) for path, text in texts]
        validate = time.process_time() - start
        md = Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists"],
                      output_format="html5")
        start = time.process_time()
        for doc in docs:
            md.reset()
            sanitize.clean(md.convert(doc.body))
        convert = time.process_time() - start
        start = time.process_time()
        check_tree(root)
        check = time.process_time() - start
    print(f"{len(texts)} posts, CPU seconds: read_document {validate:.2f}; Markdown + sanitize {convert:.2f}; "
          f"check_tree {check:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
