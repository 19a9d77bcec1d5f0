"""The pure domain: knowledge-base schema and loader, the compiled model, inference, triage.

Nothing in here does I/O except reading the knowledge base, and nothing imports from the
services, adapters or interfaces layers.
"""
