"""Voice of the customer, offline: language, sentiment and themes of French and English
comments and posts with lexicons and statistics shipped in the package (no model to
download), and the survey scores with their intervals."""
