"""Extra activation scripts: policy-proof PowerShell, ``venv-run``, Elvish and CI.

virtualenv imports every activator on every call, so these modules import nothing heavy at module level.
"""
