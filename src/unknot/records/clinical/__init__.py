"""The clinical record of an episode: evaluation (with what is checked in person), screening,
referrals and their medical clearance. The chart, plans of care and visit notes build on it in
the plans app.

Rows are mapped to the care core's input shape in `mapping`; the core decides (triage, scores,
safety), services write, and views only parse and render.
"""
