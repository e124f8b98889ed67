"""The pipeline's pure steps: no Django, no database, each tested on its own.

A report's body goes through them in order (``analysis.analyse``): ``clean`` drops page
furniture (``boilerplate`` holds the rules), ``split`` cuts passages, ``sentences`` cuts
sentences and reads their signals, ``speakers`` ties names across the report, ``dates``
finds and resolves date mentions, ``figures`` types the figures, ``outcomes`` reads what a
sentence says happened, ``anchoring`` builds the quote selectors, and ``wire`` fingerprints
the report for wire-copy grouping. articles.services is the one door that writes what they
find.
"""
