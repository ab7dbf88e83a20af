from tests.importing.support import exhibit  # noqa: F401  (a fixture)
