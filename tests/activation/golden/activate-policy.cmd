@echo off
rem activate-policy.cmd: open PowerShell with the virtual environment below active, under any execution policy.
rem PowerShell only checks script files against the policy; the command below reads the script as text instead.
rem Written by virtualenv-ready; re-create the environment to regenerate it.
setlocal DisableDelayedExpansion
rem cmd.exe decodes each line in the console's code page: the lines holding the path are read as UTF-8
set "READY_CODE_PAGE="
for /f "tokens=2 delims=:." %%C in ('chcp') do set "READY_CODE_PAGE=%%C"
chcp 65001 >nul 2>nul
for %%P in (pwsh.exe) do if not "%%~$PATH:P"=="" goto pwsh
powershell -NoLogo -NoExit -Command "Get-Content -Raw -LiteralPath 'C:\Users\dev\My Project 100%%\.venv\Scripts\activate-policy.ps1' | Invoke-Expression"
goto done
:pwsh
pwsh -NoLogo -NoExit -Command "Get-Content -Raw -LiteralPath 'C:\Users\dev\My Project 100%%\.venv\Scripts\activate-policy.ps1' | Invoke-Expression"
:done
set "READY_STATUS=%ERRORLEVEL%"
if defined READY_CODE_PAGE chcp %READY_CODE_PAGE% >nul 2>nul
exit /b %READY_STATUS%
