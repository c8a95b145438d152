@echo off
rem venv-run: run one command inside the virtual environment below, without activating a shell.
rem   venv-run COMMAND [ARGS...]
rem Written by virtualenv-ready; re-create the environment to regenerate it.
setlocal DisableDelayedExpansion
if "%~1"=="" goto usage
rem cmd.exe decodes each line in the console's code page: the lines holding paths are read as UTF-8, and the
rem command runs in the code page it was started with
set "READY_CODE_PAGE="
for /f "tokens=2 delims=:." %%C in ('chcp') do set "READY_CODE_PAGE=%%C"
chcp 65001 >nul 2>nul
set "VIRTUAL_ENV=__VIRTUAL_ENV__"
set "PATH=__BIN_DIR__;%PATH%"
set "PYTHONHOME="
__READY_ENV__if defined READY_CODE_PAGE chcp %READY_CODE_PAGE% >nul 2>nul
set "READY_CODE_PAGE="
%*
exit /b %ERRORLEVEL%
:usage
echo usage: venv-run COMMAND [ARGS...]  (runs COMMAND inside the virtual environment) 1>&2
exit /b 2
