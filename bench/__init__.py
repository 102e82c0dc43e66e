"""`make bench`: figures for issue notes, written to bench/results/latest.json."""
