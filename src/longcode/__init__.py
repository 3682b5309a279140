"""longcode: a self-hostable messaging and phone-number platform speaking the Flowroute API."""

__version__ = "0.1.0"
