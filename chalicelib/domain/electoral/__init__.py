"""Code électoral rules: L52-1 windows, compliance of events, neutrality of texts."""
