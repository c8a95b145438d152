@echo off
rem venv-run: run one command inside the virtual environment below, without activating a shell.
rem   venv-run COMMAND [ARGS...]
rem Written by virtualenv-ready; re-create the environment to regenerate it.
setlocal DisableDelayedExpansion
if "%~1"=="" goto usage
set "VIRTUAL_ENV=__VIRTUAL_ENV__"
set "PATH=__BIN_DIR__;%PATH%"
set "PYTHONHOME="
__READY_ENV__%*
exit /b %ERRORLEVEL%
:usage
echo usage: venv-run COMMAND [ARGS...]  (runs COMMAND inside the virtual environment) 1>&2
exit /b 2
