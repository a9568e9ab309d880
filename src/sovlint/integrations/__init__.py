"""sovlint inside other tools (Checkov's external checks), built on sovlint's public
functions only: settings (`sovlint.settings`), judging and suppression (`sovlint.findings`)."""
