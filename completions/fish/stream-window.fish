# fish completion for stream-window (stream-utils)
# Written by `stream-window --generate=fish`: edit the option definitions, then run scripts/gen-docs.
function __stream_utils_durations
    set -l typed (commandline -ct | string replace -r -- '^--[^=]*=' '')
    if string match -qr -- '^[0-9]+$' $typed
        printf '%s\n' $typed{ms,s,m,h,d}
    else
        printf '%s\n' 250ms 1s 10s 30s 1m 5m 15m 1h 1d
    end
end
complete -c stream-window -l tumbling -x -a '(__stream_utils_durations)' -d 'Windows of this length, one after another (e.g. 1m; 1d, 1w, 1mo: local days, weeks, months of --tz)'
complete -c stream-window -l hopping -x -a '(__stream_utils_durations)' -d 'Overlapping windows of this length, one starting --every STEP'
complete -c stream-window -l session -x -a '(__stream_utils_durations)' -d 'A key\'s session ends after this gap without its records'
complete -c stream-window -l count -x -d 'Windows of N records (per key with --by), one ending every --slide M'
complete -c stream-window -l every -x -a '(__stream_utils_durations)' -d 'Hopping windows: time between window starts (at most SIZE)'
complete -c stream-window -l slide -x -d 'Count windows: a window ends every M records (default N: no overlap)'
complete -c stream-window -l by -x -d 'Sessions and count windows per key of these fields; their close records name the key'
complete -c stream-window -l max-buffer -x -a '4096 64K 1M 64M 1G' -d 'Most bytes held for open windows and keys (default 1G); a record that would take more is rejected'
complete -c stream-window -l time -x -d 'Event time from this field (default: processing time, the wall clock)'
complete -c stream-window -l time-format -x -d 'Read --time with this strftime format instead of detecting it'
complete -c stream-window -l tz -x -a 'UTC +01:00 -05:00 Europe/Berlin America/New_York' -d 'Zone of timestamps that carry none and of 1d/1w/1mo windows: UTC (default), +01:00, Europe/Berlin'
complete -c stream-window -l grace -x -a '(__stream_utils_durations)' -d 'Event time: a window closes once a record this much past its end is seen (default 0)'
complete -c stream-window -l late -x -a 'reject correct' -d 'What to do with a record whose window has closed'
complete -c stream-window -l idle -x -a '(__stream_utils_durations)' -d 'Event time: after D without input, close every open window (later records for them are late)'
complete -c stream-window -l time-output -x -a 'iso epoch epoch_ms' -d 'How window_start and window_end are written'
complete -c stream-window -l rejects -r -F -d 'Write each rejected line as an NDJSON record to FILE'
complete -c stream-window -l strict -d 'Stop at the first rejected line (exit status 3)'
complete -c stream-window -l control -x -a 'auto always never' -d 'Write control records: auto (when stdout is a pipe or a socket), always, never'
complete -c stream-window -s q -l quiet -d 'Do not report rejected lines on stderr (they are still counted)'
complete -c stream-window -l max-line -x -a '4096 64K 1M 64M 1G' -d 'Longest accepted line (longer ones are rejected); default 64M'
complete -c stream-window -s h -l help -d 'Print this help and exit'
complete -c stream-window -l version -d 'Print the version and exit'
