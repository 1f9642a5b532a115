"""Workouts and plans: ratios, the Magic Mile, plans, intervals.icu, workout FIT files."""
