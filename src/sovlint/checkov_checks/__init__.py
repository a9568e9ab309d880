"""Checkov external checks for sovlint's rules: `checkov --external-checks-dir "$(sovlint checkov-dir)"`.

Checkov execs every `*.py` file here as a top-level module named after the file
(hence the `sovlint_` prefix), and only loads a directory that has this
`__init__.py`. See docs/checkov.md.
"""
