"""Customer lifetime value: probabilistic purchase, drop-out and spend models fitted by
maximum likelihood on weighted unique rows of customer summaries."""
