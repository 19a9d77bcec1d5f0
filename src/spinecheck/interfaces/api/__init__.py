"""The REST API under /v1: thin routers over the services, returning the shared pydantic models."""
