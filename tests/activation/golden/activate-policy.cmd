@echo off
rem activate-policy.cmd: open PowerShell with the virtual environment below active, under any execution policy.
rem PowerShell only checks script files against the policy; the command below reads the script as text instead.
rem Written by virtualenv-ready; re-create the environment to regenerate it.
setlocal DisableDelayedExpansion
for %%P in (pwsh.exe) do if not "%%~$PATH:P"=="" goto pwsh
powershell -NoLogo -NoExit -Command "Get-Content -Raw -LiteralPath 'C:\Users\dev\My Project 100%%\.venv\Scripts\activate-policy.ps1' | Invoke-Expression"
exit /b %ERRORLEVEL%
:pwsh
pwsh -NoLogo -NoExit -Command "Get-Content -Raw -LiteralPath 'C:\Users\dev\My Project 100%%\.venv\Scripts\activate-policy.ps1' | Invoke-Expression"
exit /b %ERRORLEVEL%
