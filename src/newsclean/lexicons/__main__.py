"""`python -m newsclean.lexicons`: write the index of the lexicon files (`_index.py`)."""

from .screens import main

main()
