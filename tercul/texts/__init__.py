"""The text core: what a text is and everything done to it that needs no database.

Pure Python: no Flask, no SQLAlchemy session, no request. Importers, services, search
and analysis all use it.

- :mod:`.model`: the tree (``Text`` > ``Division`` > ``Line``, each with a key);
- :mod:`.parsing`, :mod:`.validation`, :mod:`.cleaning`: typed or uploaded plain text
  into a tree shaped after an original; checks of input and of a tree's keys; control
  characters stripped by importers and refused by the checks;
- :mod:`.structure`: where a translation's shape differs from its original's;
- :mod:`.rendering`, :mod:`.checksums`: back to editable plain text; digests;
- :mod:`.side_by_side`, :mod:`.diff`: a submission beside its original; two versions
  compared per line and word;
- :mod:`.alignment`, :mod:`.parts`, :mod:`.rows`: the reading view over stored rows
  (translations aligned with the original, long texts in parts, the rows shown);
- :mod:`.addresses`: lines as readers cite them ("Act 3, scene 1, line 56"), for the
  reading view, citations and search hits.

Bad input raises the domain's ``Invalid`` (:mod:`tercul.services.errors`, a module
with no imports); the reading view's notes name languages with
:func:`tercul.services.languages.language_name`. Nothing else comes from outside.
"""
