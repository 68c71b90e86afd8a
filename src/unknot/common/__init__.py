"""What every app may use and that uses none of them: reading and refusing request input
(`inputs`), and the one type a service refuses with (`errors.Refused`).

Below accounts and above the pure cores in the layer order (`.importlinter`,
docs/architecture.md): it imports Django, never an app of unknot.
"""
