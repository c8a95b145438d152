#!/bin/sh
# venv-run: run one command inside the virtual environment below, without activating a shell.
#   venv-run COMMAND [ARGS...]     (for cron, systemd units, Dockerfiles, editors and scripts)
# Written by virtualenv-ready; re-create the environment to regenerate it.
if [ "$#" -eq 0 ]; then
    echo "usage: venv-run COMMAND [ARGS...]  (runs COMMAND inside the virtual environment)" >&2
    exit 2
fi
VIRTUAL_ENV=__VIRTUAL_ENV__
export VIRTUAL_ENV
PATH=__BIN_DIR__"${PATH:+:$PATH}"
export PATH
unset PYTHONHOME
__READY_ENV__exec "$@"
