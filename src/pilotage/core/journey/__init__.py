"""The customer journey: funnels, paths and retention over touch, conversion, product,
lifecycle-stage and order events, as Ibis expressions that run where the data lives."""
