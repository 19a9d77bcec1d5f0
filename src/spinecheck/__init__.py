"""spinecheck: an open, evidence-based symptom checker and triage assistant for back pain and leg weakness."""

__version__ = "0.1.0"
