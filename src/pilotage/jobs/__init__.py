"""Background jobs: work that runs on a clock rather than on a request."""
