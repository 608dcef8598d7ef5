"""Similar proposals: the platform's text similarity engine (`services.similarity`, shared with
forwarding's cross-municipality grouping), under the name the proposals service has always used."""
from services.similarity import MIN_SCORE, fold, ngrams, rank, search_terms, words

__all__ = ["MIN_SCORE", "fold", "ngrams", "rank", "search_terms", "words"]
