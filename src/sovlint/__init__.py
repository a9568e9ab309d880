"""sovlint: keep infrastructure-as-code under European jurisdiction.

The package root imports nothing: `sovlint --version` and the Checkov
extension must stay cheap and free of third-party imports.
"""

__version__ = "0.1.0"
