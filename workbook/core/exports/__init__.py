"""Decision logs out: Markdown, HTML, CSV for issue trackers, JSON, and ADR folders."""
