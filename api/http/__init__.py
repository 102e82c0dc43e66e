"""The HTTP edge: the GraphQL view, the SPA, health probes and response headers."""
