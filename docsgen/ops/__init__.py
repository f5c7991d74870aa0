"""Operating the service: metrics, structured logs with request ids, readiness."""
