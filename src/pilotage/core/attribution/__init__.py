"""Multi-touch attribution on path counts: rule-based, Markov and Shapley models."""
