# fish completion for hyperlinkctl.
# The commands and options follow src/ctl/hl-ctl-commands.c; the test
# completions (tests/desktop/check-completions.py) checks that every command
# and option of `hyperlinkctl --help` is here.
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later

# The words of the command line so far, without options and their values.
function __hyperlinkctl_words
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case -d --data-dir --name --bio --description --title --body --body-file --limit --offset --parent --reason --since --max-future --subnet --expires --uses --address --timeout
                set skip 1
            case '-*'
            case '*'
                echo $t
        end
    end
end

# True when the command typed is exactly $argv ("thread create", "reply").
function __hyperlinkctl_at
    set -l words (__hyperlinkctl_words)
    test (count $words) -ge (count $argv); or return 1
    for i in (seq (count $argv))
        test "$words[$i]" = "$argv[$i]"; or return 1
    end
    set -l groups profile subnet thread moderator member peer bootstrap invite archive config
    if test (count $argv) -eq 1; and contains -- $argv[1] $groups
        test (count $words) -eq 1
        return
    end
    return 0
end

function __hyperlinkctl_needs_command
    set -l words (__hyperlinkctl_words)
    test (count $words) -eq 0; or test (count $words) -eq 1 -a "$words[1]" = help
end

complete -c hyperlinkctl -f
complete -c hyperlinkctl -s d -l data-dir -x -a '(__fish_complete_directories)' -d 'The data directory'
complete -c hyperlinkctl -l json -d 'Print JSON, errors included'
complete -c hyperlinkctl -l version -d 'Print the version'
complete -c hyperlinkctl -s h -l help -d 'Show help'

complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a init -d 'create this device\'s identity'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a whoami -d 'show your key and profile'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a profile -d 'your display name and bio'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a subnet -d 'communities'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a thread -d 'threads in a subnet'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a reply -d 'answer a thread'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a edit -d 'change your post'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a delete -d 'erase your post or subnet, for everyone'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a hide -d 'hide a post (moderators)'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a unhide -d 'show a hidden post again'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a moderator -d 'a subnet\'s moderators'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a search -d 'full-text search'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a export -d 'signed events as JSON lines'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a import -d 'verify and apply events'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a state -d 'digest of the forum state'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a peer -d 'the peers hyperlinkd dials'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a status -d 'what hyperlinkd is doing'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a bootstrap -d 'nodes to find peers through'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a invite -d 'invite a friend, or join one'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a archive -d 'old history, spread over the group'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a config -d "this device's settings"
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a member -d 'who reads a private subnet'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a acl -d 'the Tailscale policy for the zones'
complete -c hyperlinkctl -n __hyperlinkctl_needs_command -a help -d 'the help of every command'

complete -c hyperlinkctl -n '__hyperlinkctl_at profile' -a set -d 'set your display name or bio'
complete -c hyperlinkctl -n '__hyperlinkctl_at profile' -a show -d 'show someone\'s profile'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet' -a create -d 'create a subnet'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet' -a list -d 'list the subnets'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet' -a update -d 'rename a subnet or change its description'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread' -a create -d 'start a thread'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread' -a list -d 'list a subnet\'s threads'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread' -a show -d 'show a thread and its replies'
complete -c hyperlinkctl -n '__hyperlinkctl_at moderator' -a add -d 'let someone hide posts'
complete -c hyperlinkctl -n '__hyperlinkctl_at moderator' -a remove -d 'stop someone hiding posts'
complete -c hyperlinkctl -n '__hyperlinkctl_at moderator' -a list -d 'list a subnet\'s moderators'
complete -c hyperlinkctl -n '__hyperlinkctl_at member' -a add -d 'let a device read a private subnet'
complete -c hyperlinkctl -n '__hyperlinkctl_at member' -a remove -d 'remove a device from a private subnet'
complete -c hyperlinkctl -n '__hyperlinkctl_at member' -a list -d 'list a private subnet\'s members'
complete -c hyperlinkctl -n '__hyperlinkctl_at member add' -l admin -d 'Let the member add and remove members too'
complete -c hyperlinkctl -n '__hyperlinkctl_at acl' -l port -r -d 'Hyperlink\'s port'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet create' -l private -d 'Only its members can read it'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet create' -l tag -r -d 'Bind the private subnet to a tailnet tag'
complete -c hyperlinkctl -n '__hyperlinkctl_at peer' -a add -d 'remember a peer'
complete -c hyperlinkctl -n '__hyperlinkctl_at peer' -a remove -d 'forget a peer'
complete -c hyperlinkctl -n '__hyperlinkctl_at peer' -a list -d 'list the peers'
complete -c hyperlinkctl -n '__hyperlinkctl_at bootstrap' -a add -d 'remember a bootstrap node'
complete -c hyperlinkctl -n '__hyperlinkctl_at bootstrap' -a remove -d 'forget a bootstrap node'
complete -c hyperlinkctl -n '__hyperlinkctl_at bootstrap' -a list -d 'list the bootstrap nodes'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite' -a create -d 'make an invite link for a friend'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite' -a accept -d 'accept an invite link'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite' -a list -d 'list the invites'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive' -a status -d 'show the archive'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive' -a seal -d 'seal old months'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive' -a restore -d 'rebuild history from the peers'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive' -a verify -d 'check every stored symbol'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive' -a load -d 'load an archived month back'
complete -c hyperlinkctl -n '__hyperlinkctl_at config' -a show -d "show this device's settings"
complete -c hyperlinkctl -n '__hyperlinkctl_at config' -a set -d 'change a setting'

complete -c hyperlinkctl -n '__hyperlinkctl_at init' -l name -x -d 'Your display name'
complete -c hyperlinkctl -n '__hyperlinkctl_at init' -l rename -d 'Give an existing identity this --name'
complete -c hyperlinkctl -n '__hyperlinkctl_at profile set' -l name -x -d 'Your display name'
complete -c hyperlinkctl -n '__hyperlinkctl_at profile set' -l bio -x -d 'Your bio'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet create' -l description -x -d 'What the subnet is about'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet update' -l name -x -d 'New name'
complete -c hyperlinkctl -n '__hyperlinkctl_at subnet update' -l description -x -d 'New description'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread create' -l title -x -d 'Title'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread create' -l body -x -d 'Text'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread create' -l body-file -r -F -d 'Read the text from FILE'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread list' -l limit -x -d 'How many'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread list' -l offset -x -d 'How many to skip'
complete -c hyperlinkctl -n '__hyperlinkctl_at reply' -l body -x -d 'Text'
complete -c hyperlinkctl -n '__hyperlinkctl_at reply' -l body-file -r -F -d 'Read the text from FILE'
complete -c hyperlinkctl -n '__hyperlinkctl_at reply' -l parent -x -d 'The reply you answer'
complete -c hyperlinkctl -n '__hyperlinkctl_at edit' -l title -x -d 'Title'
complete -c hyperlinkctl -n '__hyperlinkctl_at edit' -l body -x -d 'Text'
complete -c hyperlinkctl -n '__hyperlinkctl_at edit' -l body-file -r -F -d 'Read the text from FILE'
complete -c hyperlinkctl -n '__hyperlinkctl_at delete' -s y -l yes -d 'Delete a whole subnet without asking'
complete -c hyperlinkctl -n '__hyperlinkctl_at hide' -l reason -x -d 'Why'
complete -c hyperlinkctl -n '__hyperlinkctl_at unhide' -l reason -x -d 'Why'
complete -c hyperlinkctl -n '__hyperlinkctl_at search' -l limit -x -d 'How many results'
complete -c hyperlinkctl -n '__hyperlinkctl_at export' -l since -x -d 'Only events dated at or after this'
complete -c hyperlinkctl -n '__hyperlinkctl_at import' -l max-future -x -d 'Seconds of clock skew accepted'
complete -c hyperlinkctl -n '__hyperlinkctl_at state' -l dump -d 'Print the state itself'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite create' -l subnet -x -d 'A subnet the friend opens first'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite create' -l expires -x -d 'How long it is valid'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite create' -l uses -x -d 'How many friends may use it'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite create' -l address -x -d 'An address this node is reached at'
complete -c hyperlinkctl -n '__hyperlinkctl_at invite accept' -l timeout -x -d 'Seconds to wait'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive seal' -l all -d 'Every month, the current one too'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive restore' -l wait -r -d 'Seconds to wait for peers to connect'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive restore' -l timeout -r -d 'Seconds the whole restore may take'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive load' -l wait -r -d 'Seconds to wait for peers to connect'
complete -c hyperlinkctl -n '__hyperlinkctl_at archive load' -l timeout -r -d 'Seconds the load may take'
complete -c hyperlinkctl -n '__hyperlinkctl_at config set' -l force -d 'Keep the months that must stay, drop the rest'
complete -c hyperlinkctl -n '__hyperlinkctl_at thread list' -l archived -d 'The sealed months not on this device'
complete -c hyperlinkctl -n '__hyperlinkctl_at import' -F
