"""Extra activation scripts: policy-proof PowerShell, ``venv-run``, Elvish and CI.

virtualenv imports every activator on every call, so these modules import nothing heavy at module level.
"""

from .. import pipes  # noqa: F401 - guards the package's log lines and keeps them off virtualenv's report
