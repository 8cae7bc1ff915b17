# bash completion for hyperlinkctl.                     -*- shell-script -*-
# The commands and options follow src/ctl/hl-ctl-commands.c; the test
# completions (tests/desktop/check-completions.py) checks that every command
# and option of `hyperlinkctl --help` is here.
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later

_hyperlinkctl_options()
{
    case "$1" in
        init) echo "--name --rename" ;;
        "profile set") echo "--name --bio" ;;
        "subnet update") echo "--name --description" ;;
        "thread create") echo "--title --body --body-file" ;;
        "thread list") echo "--limit --offset --archived" ;;
        reply) echo "--body --body-file --parent" ;;
        edit) echo "--title --body --body-file" ;;
        delete) echo "--yes -y" ;;
        hide | unhide) echo "--reason" ;;
        search) echo "--limit" ;;
        export) echo "--since" ;;
        import) echo "--max-future" ;;
        state) echo "--dump" ;;
        "invite create") echo "--subnet --expires --uses --address" ;;
        "invite accept") echo "--timeout" ;;
        "archive seal") echo "--all" ;;
        "archive restore" | "archive load") echo "--wait --timeout" ;;
        "config set") echo "--force" ;;
        "subnet create") echo "--description --private --tag" ;;
        "member add") echo "--admin" ;;
        acl) echo "--port" ;;
    esac
}

_hyperlinkctl()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="init whoami profile subnet thread reply edit delete hide unhide moderator
        member search export import state peer status bootstrap invite archive config acl help"
    local globals="--data-dir -d --json --version --help -h"
    local takes_value="--data-dir|-d|--name|--bio|--description|--title|--body|--body-file|--limit|--offset|--parent|--reason|--since|--max-future|--subnet|--expires|--uses|--address|--timeout|--wait|--tag|--port"
    local words=() i skip=0

    # The command typed so far, without options and their values.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if ((skip)); then skip=0; continue; fi
        case "${COMP_WORDS[i]}" in
            --*=*) ;;
            -*) [[ "${COMP_WORDS[i]}" == @($takes_value) ]] && skip=1 ;;
            *) words+=("${COMP_WORDS[i]}") ;;
        esac
    done

    case "$prev" in
        --data-dir | -d) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --body-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --expires) COMPREPLY=($(compgen -W "30m 12h 1d 7d 30d" -- "$cur")); return ;;
    esac
    [[ "$prev" == @($takes_value) ]] && return

    local group=${words[0]-} subcommands=""
    case "$group" in
        profile) subcommands="set show" ;;
        subnet) subcommands="create list update" ;;
        thread) subcommands="create list show" ;;
        moderator | member | peer | bootstrap) subcommands="add remove list" ;;
        invite) subcommands="create accept list" ;;
        archive) subcommands="status seal restore load verify" ;;
        config) subcommands="show set" ;;
    esac

    if [[ "$cur" == -* ]]; then
        local key=$group
        [[ -n "$subcommands" ]] && key="$group ${words[1]-}"
        COMPREPLY=($(compgen -W "$(_hyperlinkctl_options "$key") $globals" -- "$cur"))
    elif ((${#words[@]} == 0)) || [[ "$group" == help && ${#words[@]} == 1 ]]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    elif [[ -n "$subcommands" && ${#words[@]} == 1 ]]; then
        COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
    elif [[ "$group" == config && ${words[1]-} == set && ${#words[@]} == 2 ]]; then
        COMPREPLY=($(compgen -W "keep loaded-cache-mb archive-quota-mb" -- "$cur"))
    elif [[ "$group" == config && ${words[2]-} == keep && ${#words[@]} == 3 ]]; then
        COMPREPLY=($(compgen -W "everything 1y 6m 3m 1m" -- "$cur"))
    elif [[ "$group" == import && ${#words[@]} == 1 ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

complete -F _hyperlinkctl hyperlinkctl
