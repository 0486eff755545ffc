"""A/B test statistics on mergeable sufficient statistics: frequentist, Bayesian and
sequential tests, CUPED, sample-ratio mismatch, multiple-testing corrections and planning."""
