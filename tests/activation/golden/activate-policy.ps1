# activate-policy.ps1: activate the virtual environment below in PowerShell, under any execution policy.
# This works even where running scripts is disabled (Restricted, AllSigned, Group Policy):
#   Get-Content -Raw -LiteralPath 'C:\Users\dev\My Project 100%\.venv\Scripts\activate-policy.ps1' | Invoke-Expression
# Where scripts may run, dot-sourcing it works too; `deactivate` leaves the environment.
# It has no param block, no $PSScriptRoot and no .NET calls, so Invoke-Expression and ConstrainedLanguage work.
# Written by virtualenv-ready; re-create the environment to regenerate it.

if (Test-Path -LiteralPath 'Function:\deactivate') {
    deactivate -NonDestructive
}
if (Test-Path -LiteralPath 'Env:\_VENV_READY_OLD_PATH') {
    $env:PATH = $env:_VENV_READY_OLD_PATH
    Remove-Item -LiteralPath 'Env:\_VENV_READY_OLD_PATH'
}

function global:deactivate {
    param([switch]$NonDestructive)
    if (Test-Path -LiteralPath 'Env:\_VENV_READY_OLD_PATH') {
        $env:PATH = $env:_VENV_READY_OLD_PATH
        Remove-Item -LiteralPath 'Env:\_VENV_READY_OLD_PATH'
    }
    if (Test-Path -LiteralPath 'Env:\_VENV_READY_OLD_PYTHONHOME') {
        $env:PYTHONHOME = $env:_VENV_READY_OLD_PYTHONHOME
        Remove-Item -LiteralPath 'Env:\_VENV_READY_OLD_PYTHONHOME'
    }
    $oldPrompt = Get-Variable -Name _VENV_READY_OLD_PROMPT -Scope Global -ErrorAction SilentlyContinue
    if ($null -ne $oldPrompt) {
        Set-Item -Path 'Function:\global:prompt' -Value $oldPrompt.Value
        Remove-Variable -Name _VENV_READY_OLD_PROMPT -Scope Global
    }
    foreach ($name in @('VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT')) {
        Remove-Item -LiteralPath "Env:\$name" -ErrorAction SilentlyContinue
    }
    if (-not $NonDestructive) {
        Remove-Item -LiteralPath 'Function:\deactivate' -ErrorAction SilentlyContinue
    }
}

$env:_VENV_READY_OLD_PATH = $env:PATH
if (Test-Path -LiteralPath 'Env:\PYTHONHOME') {
    $env:_VENV_READY_OLD_PYTHONHOME = $env:PYTHONHOME
    Remove-Item -LiteralPath 'Env:\PYTHONHOME'
}
$env:VIRTUAL_ENV = 'C:\Users\dev\My Project 100%\.venv'
$env:VIRTUAL_ENV_PROMPT = 'demo'
$env:PATH = 'C:\Users\dev\My Project 100%\.venv\Scripts' + ';' + $env:PATH

if (-not (Test-Path -LiteralPath 'Env:\VIRTUAL_ENV_DISABLE_PROMPT')) {
    Set-Variable -Name _VENV_READY_OLD_PROMPT -Scope Global -Value $function:prompt
    function global:prompt {
        Write-Host -NoNewline -ForegroundColor Green ('(' + $env:VIRTUAL_ENV_PROMPT + ') ')
        & $global:_VENV_READY_OLD_PROMPT
    }
}
