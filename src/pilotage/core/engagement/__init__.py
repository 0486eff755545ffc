"""Product engagement: active users, stickiness, feature adoption and the usage that goes
before a purchase or a churn."""
