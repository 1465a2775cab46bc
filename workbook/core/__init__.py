"""The workbook's core: models, templates, the store, scoring, calculators and exports.

Nothing under this package may import Textual (tests/unit/test_import_hygiene.py enforces it),
so the CLI, exports and tests can use it without the UI.
"""
