from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)
