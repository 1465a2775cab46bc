"""`workbook measure`: the review's estimates checked against production traces (OTLP/JSON lines).

otlp reads the files a span at a time, attributes maps span attributes to what is measured, stages
turns spans into per-request stage intervals, figures computes the measured figures against the
review's estimates, and report renders them as text, Markdown or JSON.
"""
