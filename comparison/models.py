# Metrics, evaluations and their stored predictions arrive with the
# evaluation and comparison issues.
