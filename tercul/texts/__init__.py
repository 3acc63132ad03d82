"""The text core: what a text is and everything done to it that needs no database.

Pure Python: no Flask, no SQLAlchemy session, no request. Importers, services, search
and analysis all use it. The in-memory tree of a text (:mod:`.model`), parsing typed or
uploaded text into it (:mod:`.parsing`), checks of its shape against an original
(:mod:`.structure`), rendering it back to plain text (:mod:`.rendering`), checksums
(:mod:`.checksums`), alignment with the original (:mod:`.alignment`,
:mod:`.side_by_side`) and comparison of two versions (:mod:`.diff`).
"""
