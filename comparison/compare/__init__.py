"""The comparison page's reads and writes: the selection in the URL, the tables, saved views.

The query string is the page's whole state and is shared with the evaluation
section (`compare_evaluations:section`), which reads the same parameters; see
`selection.py` for the names.
"""
