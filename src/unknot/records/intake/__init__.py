"""The intake: what a person tells the clinic before the first visit, section by section.

Answers are stored in the care core's input shape (docs/care.md) and checked with
`unknot.care.parse_case` on every save; free text sits in `Intake.notes` by question.
See docs/intake.md for the URLs, who may use them and the flow.
"""
