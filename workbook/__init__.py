"""workbook: a terminal workbook for the post-demo risk review of generative-AI programs."""

__version__ = "0.1.0"
