"""unknot: software for a physical therapy practice treating back spasms and low back pain."""
