# fish completion for stream-sink-sqlite (stream-utils)
# Written by `stream-sink-sqlite --generate=fish`: edit the option definitions, then run scripts/gen-docs.
function __stream_utils_durations
    set -l typed (commandline -ct | string replace -r -- '^--[^=]*=' '')
    if string match -qr -- '^[0-9]+$' $typed
        printf '%s\n' $typed{ms,s,m,h,d}
    else
        printf '%s\n' 250ms 1s 10s 30s 1m 5m 15m 1h 1d
    end
end
complete -c stream-sink-sqlite -s t -l table -x -d 'Table to write (created when missing); default records'
complete -c stream-sink-sqlite -l upsert -x -d 'Make these fields unique keys and update rows that have the same keys'
complete -c stream-sink-sqlite -l merge -d 'With --upsert: merge the _state of a record into the row\'s, and rewrite its values'
complete -c stream-sink-sqlite -l truncate -d 'Empty the table in the same transaction as the first new rows'
complete -c stream-sink-sqlite -l no-alter -d 'Reject records with fields that are not columns (no ALTER TABLE)'
complete -c stream-sink-sqlite -l batch -x -d 'Rows per transaction; default 10000'
complete -c stream-sink-sqlite -l durable -d 'synchronous=FULL: a commit survives a power loss (slower)'
complete -c stream-sink-sqlite -l busy-timeout -x -a '(__stream_utils_durations)' -d 'Wait this long for other writers; default 30s'
complete -c stream-sink-sqlite -l tee -d 'Copy every input record (control records included) to stdout'
complete -c stream-sink-sqlite -l rejects -r -F -d 'Write each rejected line as an NDJSON record to FILE'
complete -c stream-sink-sqlite -l strict -d 'Stop at the first rejected line (exit status 3)'
complete -c stream-sink-sqlite -l control -x -a 'auto always never' -d 'Write control records: auto (when stdout is a pipe or a socket), always, never'
complete -c stream-sink-sqlite -s q -l quiet -d 'Do not report rejected lines on stderr (they are still counted)'
complete -c stream-sink-sqlite -l max-line -x -a '4096 64K 1M 64M 1G' -d 'Longest accepted line (longer ones are rejected); default 64M'
complete -c stream-sink-sqlite -s h -l help -d 'Print this help and exit'
complete -c stream-sink-sqlite -l version -d 'Print the version and exit'
