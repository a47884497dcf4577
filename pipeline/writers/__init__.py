"""Writers read only AuditResult objects (never spaCy or extractor internals)."""
