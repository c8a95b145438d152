# activate.elv: activate the virtual environment below in Elvish; `deactivate` leaves it.
__USAGE__# Written by virtualenv-ready; re-create the environment to regenerate it.
var venv = __VIRTUAL_ENV__
var bin = __BIN_DIR__
var venv-prompt = __PROMPT__

fn deactivate {
  if (has-env _VENV_READY_OLD_PATH) {
    set-env PATH $E:_VENV_READY_OLD_PATH
    unset-env _VENV_READY_OLD_PATH
  }
  if (has-env _VENV_READY_OLD_PYTHONHOME) {
    set-env PYTHONHOME $E:_VENV_READY_OLD_PYTHONHOME
    unset-env _VENV_READY_OLD_PYTHONHOME
  }
  unset-env VIRTUAL_ENV
  unset-env VIRTUAL_ENV_PROMPT
__UNSET_ENV__}

# activating twice (this or another environment) first undoes the earlier activation
if (has-env _VENV_READY_OLD_PATH) {
  deactivate
}
set-env _VENV_READY_OLD_PATH $E:PATH
if (has-env PYTHONHOME) {
  set-env _VENV_READY_OLD_PYTHONHOME $E:PYTHONHOME
  unset-env PYTHONHOME
}
set-env VIRTUAL_ENV $venv
set-env VIRTUAL_ENV_PROMPT $venv-prompt
set paths = [$bin $@paths]
__SET_ENV__
# in the interactive REPL: make `deactivate` a command there and prefix the prompt once per session;
# `edit:` only exists in the REPL, so these run through eval and a script without a REPL skips them
try {
  eval 'edit:add-var deactivate~ $deactivate~'
} catch {
  nop
}
try {
  eval 'nop $_venv-ready-prompt-wrapped'
} catch {
  try {
    eval 'var old-prompt = $edit:prompt
      set edit:prompt = {
        if (and (has-env VIRTUAL_ENV_PROMPT) (not (has-env VIRTUAL_ENV_DISABLE_PROMPT))) {
          styled-segment "("$E:VIRTUAL_ENV_PROMPT") "
        }
        $old-prompt
      }
      edit:add-var _venv-ready-prompt-wrapped $true'
  } catch {
    nop
  }
}
