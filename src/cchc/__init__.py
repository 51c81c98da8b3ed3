"""The CCHC portal's library and applications.

``cchc.core``: the Vietnamese text rules and domain tables every plugin, command and the browser's
code derive from; ``cchc.cli``: the staff command line (``cchc new|check|build|import|studio…``);
``cchc.importer``: bringing old portal pages over; ``cchc.studio``: the web editor's generated
configuration and its local backend. The Pelican plugins live in ``plugins/`` and import from here.
"""
