@echo off
rem activate-ci: run once in a CI step; the steps after it run inside the virtual environment below.
rem   GitHub Actions: appends to GITHUB_ENV and GITHUB_PATH.  Azure Pipelines: prints ##vso logging commands.
rem Written by virtualenv-ready; re-create the environment to regenerate it.
setlocal DisableDelayedExpansion
set "READY_CODE_PAGE="
for /f "tokens=2 delims=:." %%C in ('chcp') do set "READY_CODE_PAGE=%%C"
if defined GITHUB_ENV if defined GITHUB_PATH goto github
if /i "%TF_BUILD%"=="True" goto azure
echo activate-ci: no supported CI found (GitHub Actions sets GITHUB_ENV and GITHUB_PATH, Azure Pipelines sets TF_BUILD); elsewhere run commands through __BIN_DIR__\venv-run.cmd 1>&2
exit /b 2
:github
chcp 65001 >nul
__GITHUB_ENV__if not defined PYTHONHOME goto github_path
>>"%GITHUB_ENV%" echo:PYTHONHOME=
:github_path
>>"%GITHUB_PATH%" echo:__BIN_DIR__
goto done
:azure
chcp 65001 >nul
__AZURE_ENV__if defined PYTHONHOME echo:##vso[task.setvariable variable=PYTHONHOME]
echo:##vso[task.prependpath]__BIN_DIR__
:done
if defined READY_CODE_PAGE chcp %READY_CODE_PAGE% >nul
echo activate-ci: the steps after this one run inside __VIRTUAL_ENV__
exit /b 0
