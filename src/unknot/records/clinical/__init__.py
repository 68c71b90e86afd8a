"""The clinical side of an episode: chart, evaluation, plan of care pages and visit notes.

Rows are mapped to the care core's input shape in `mapping`; the core decides (triage, scores,
safety, plan, progression), services write, and views only parse and render.
"""
