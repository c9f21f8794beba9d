"""Protocol rules (décret n° 89-655 du 13 septembre 1989, and usage).

Functions, precedence, seating and forms of address, as data with their sources.
"""
