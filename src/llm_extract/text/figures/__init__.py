"""Figures in text: numbers and number words in English and French, the nouns they
count, and the fate words near them."""
