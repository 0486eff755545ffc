"""Planning: measurement plans, business cases, the initiative lifecycle, SMART objectives
and their forecasts. Pure: no clock, no store; dates and histories come in as arguments."""
