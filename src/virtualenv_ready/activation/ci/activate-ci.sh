#!/bin/sh
# activate-ci: run once in a CI step; the steps after it run inside the virtual environment below.
#   GitHub Actions: appends to $GITHUB_ENV and $GITHUB_PATH.  Azure Pipelines: prints ##vso logging commands.
# Written by virtualenv-ready; re-create the environment to regenerate it.
VIRTUAL_ENV=__VIRTUAL_ENV__
ready_bin=__BIN_DIR__
ready_delimiter=__DELIMITER__
if [ -n "${GITHUB_ENV:-}" ] && [ -n "${GITHUB_PATH:-}" ]; then
    ready_ci=github
else
    case "${TF_BUILD:-}" in
        [Tt][Rr][Uu][Ee]) ready_ci=azure ;;
        *)
            printf 'activate-ci: no supported CI found (GitHub Actions sets GITHUB_ENV and GITHUB_PATH, Azure Pipelines sets TF_BUILD); elsewhere run commands through %s/venv-run\n' "$ready_bin" >&2
            exit 2
            ;;
    esac
fi
ready_set() {
    if [ "$ready_ci" = github ]; then
        printf '%s<<%s\n%s\n%s\n' "$1" "$ready_delimiter" "$2" "$ready_delimiter" >>"$GITHUB_ENV" || exit 1
    else
        printf '##vso[task.setvariable variable=%s]%s\n' "$1" "$2"
    fi
}
ready_set VIRTUAL_ENV "$VIRTUAL_ENV"
if [ -n "${PYTHONHOME+set}" ]; then
    ready_set PYTHONHOME ""
fi
__READY_ENV__if [ "$ready_ci" = github ]; then
    printf '%s\n' "$ready_bin" >>"$GITHUB_PATH" || exit 1
else
    printf '##vso[task.prependpath]%s\n' "$ready_bin"
fi
printf 'activate-ci: the steps after this one run inside %s\n' "$VIRTUAL_ENV"
