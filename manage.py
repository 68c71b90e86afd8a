#!/usr/bin/env python
"""Convenience wrapper: same as `python -m unknot.manage`."""

from unknot.manage import main

if __name__ == "__main__":
    main()
