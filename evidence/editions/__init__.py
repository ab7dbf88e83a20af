"""Editions of the chronology: each PDF or Word chronology kept with a snapshot of what it printed (snapshot.py),
compared event by event with the chronology as it stands now (compare.py, words.py for the word-level differences),
and printed as a redline in the court-ready frame (redline.py). The model is evidence.models.Edition; it is written
by evidence.services.editions and read through evidence.selectors."""
