"""The rules `workbook check` can fail a review on (no imports: the CLI reads these at start-up)."""

RULES = ("overdue", "unowned", "undated", "high-risk", "unanswered", "over-target")
DEFAULT_RULES = ("overdue",)
