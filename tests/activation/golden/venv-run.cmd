@echo off
rem venv-run: run one command inside the virtual environment below, without activating a shell.
rem   venv-run COMMAND [ARGS...]
rem Written by virtualenv-ready; re-create the environment to regenerate it.
setlocal DisableDelayedExpansion
if "%~1"=="" goto usage
set "VIRTUAL_ENV=C:\Users\dev\My Project 100%%\.venv"
set "PATH=C:\Users\dev\My Project 100%%\.venv\Scripts;%PATH%"
set "PYTHONHOME="
%*
exit /b %ERRORLEVEL%
:usage
echo usage: venv-run COMMAND [ARGS...]  (runs COMMAND inside the virtual environment) 1>&2
exit /b 2
