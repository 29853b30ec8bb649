"""inspector: checking that the grassroots burden-reduction lists are in force."""

__version__ = "0.1.0"
