"""Matchers: find lexicon terms, judge each hit in its sentence, read fields and conditions."""
