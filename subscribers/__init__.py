"""The subscriber domain: lists, subscribers, consent, tokens, suppression, import and export.

This package never imports `digest`; `digest` imports it.
"""
