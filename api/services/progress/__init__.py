"""Progress: measurements, custom metrics, goals and their projected line, the series a chart
draws, and outcome measures. No Strawberry here: resolvers map these results to the schema.

- vocabulary.py  body sites, movements, units, the rules of each metric kind
- checks.py      field checks that collect every problem of one input, with its field path
- actors.py      who may write, and in what capacity (patient or care team; never an admin)
- errors.py      the typed problems (a stable code and the input field)
- measurements.py, metrics.py, goals.py, outcomes.py  the writes and their reads
- series.py      calendar buckets in the patient's time zone, with the goal's line
"""
