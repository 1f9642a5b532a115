"""Sessions written for other tools: CSV, JSON, TCX, FIT and a plot."""
