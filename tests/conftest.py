from helpers import folders  # noqa: F401  (fixture)
