"""Data-quality audit: what each check means (``checks``), the rows each one flags
(``findings``, Ibis expressions) and the trust score they add up to (``trust``)."""
