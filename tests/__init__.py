"""blogcorpus test suite."""
