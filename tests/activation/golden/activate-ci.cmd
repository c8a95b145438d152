@echo off
rem activate-ci: run once in a CI step; the steps after it run inside the virtual environment below.
rem   GitHub Actions: appends to GITHUB_ENV and GITHUB_PATH.  Azure Pipelines: prints ##vso logging commands.
rem Written by virtualenv-ready; re-create the environment to regenerate it.
setlocal DisableDelayedExpansion
set "READY_CODE_PAGE="
for /f "tokens=2 delims=:." %%C in ('chcp') do set "READY_CODE_PAGE=%%C"
if defined GITHUB_ENV if defined GITHUB_PATH goto github
if /i "%TF_BUILD%"=="True" goto azure
echo activate-ci: no supported CI found (GitHub Actions sets GITHUB_ENV and GITHUB_PATH, Azure Pipelines sets TF_BUILD); elsewhere run commands through C:\Users\dev\My Project 100%%\.venv\Scripts\venv-run.cmd 1>&2
exit /b 2
:github
chcp 65001 >nul
>>"%GITHUB_ENV%" echo:VIRTUAL_ENV^<^<ghadelimiter_e40153f018721558
>>"%GITHUB_ENV%" echo:C:\Users\dev\My Project 100%%\.venv
>>"%GITHUB_ENV%" echo:ghadelimiter_e40153f018721558
if not defined PYTHONHOME goto github_path
>>"%GITHUB_ENV%" echo:PYTHONHOME=
:github_path
>>"%GITHUB_PATH%" echo:C:\Users\dev\My Project 100%%\.venv\Scripts
goto done
:azure
chcp 65001 >nul
echo:##vso[task.setvariable variable=VIRTUAL_ENV]C:\Users\dev\My Project 100%%\.venv
if defined PYTHONHOME echo:##vso[task.setvariable variable=PYTHONHOME]
echo:##vso[task.prependpath]C:\Users\dev\My Project 100%%\.venv\Scripts
:done
if defined READY_CODE_PAGE chcp %READY_CODE_PAGE% >nul
echo activate-ci: the steps after this one run inside C:\Users\dev\My Project 100%%\.venv
exit /b 0
