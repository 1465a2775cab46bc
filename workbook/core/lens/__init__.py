"""AWS Well-Architected custom lenses: the format (model), reading one as a template (importer) and
writing a template as one (exporter)."""
