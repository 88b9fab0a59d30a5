# fish completion for stream-agg (stream-utils)
# Written by `stream-agg --generate=fish`: edit the option definitions, then run scripts/gen-docs.
function __stream_utils_durations
    set -l typed (commandline -ct | string replace -r -- '^--[^=]*=' '')
    if string match -qr -- '^[0-9]+$' $typed
        printf '%s\n' $typed{ms,s,m,h,d}
    else
        printf '%s\n' 250ms 1s 10s 30s 1m 5m 15m 1h 1d
    end
end
complete -c stream-agg -s b -l by -x -d 'Group by these fields (window tags always join the key)'
complete -c stream-agg -l approx -d 'Bounded memory: percentiles from a DDSketch (1% relative error), distinct from a HyperLogLog (0.81% standard error)'
complete -c stream-agg -l every -x -a '(__stream_utils_durations)' -d 'Also print a running snapshot of every group each DURATION (e.g. 10s)'
complete -c stream-agg -l emit-state -d 'Add _state to each result: its group\'s mergeable states, for --merge'
complete -c stream-agg -l merge -d 'Merge the _state of results from any number of parts (same --by and SPECs as the parts)'
complete -c stream-agg -l parts -x -d 'With --merge: a window\'s result is out once N parts have closed it'
complete -c stream-agg -l tumbling -x -a '(__stream_utils_durations)' -d 'Windows of this length, one after another (e.g. 1m; 1d, 1w, 1mo: local days, weeks, months of --tz)'
complete -c stream-agg -l hopping -x -a '(__stream_utils_durations)' -d 'Overlapping windows of this length, one starting --step STEP'
complete -c stream-agg -l session -x -a '(__stream_utils_durations)' -d 'A key\'s session ends after this gap without its records'
complete -c stream-agg -l count -x -d 'Windows of N records (per key with --by), one ending every --slide M'
complete -c stream-agg -l step -x -a '(__stream_utils_durations)' -d 'Hopping windows: time between window starts (at most SIZE)'
complete -c stream-agg -l slide -x -d 'Count windows: a window ends every M records (default N: no overlap)'
complete -c stream-agg -l max-buffer -x -a '4096 64K 1M 64M 1G' -d 'Most bytes held for open windows and keys (default 1G); a record that would take more is rejected'
complete -c stream-agg -l time -x -d 'Event time from this field (default: processing time, the wall clock)'
complete -c stream-agg -l time-format -x -d 'Read --time with this strftime format instead of detecting it'
complete -c stream-agg -l tz -x -a 'UTC +01:00 -05:00 Europe/Berlin America/New_York' -d 'Zone of timestamps that carry none and of 1d/1w/1mo windows: UTC (default), +01:00, Europe/Berlin'
complete -c stream-agg -l grace -x -a '(__stream_utils_durations)' -d 'Event time: a window closes once a record this much past its end is seen (default 0)'
complete -c stream-agg -l late -x -a 'reject correct' -d 'What to do with a record whose window has closed'
complete -c stream-agg -l idle -x -a '(__stream_utils_durations)' -d 'Event time: after D without input, close every open window (later records for them are late)'
complete -c stream-agg -l time-output -x -a 'iso epoch epoch_ms' -d 'How window_start and window_end are written'
complete -c stream-agg -l rejects -r -F -d 'Write each rejected line as an NDJSON record to FILE'
complete -c stream-agg -l strict -d 'Stop at the first rejected line (exit status 3)'
complete -c stream-agg -l control -x -a 'auto always never' -d 'Write control records: auto (when stdout is a pipe or a socket), always, never'
complete -c stream-agg -s q -l quiet -d 'Do not report rejected lines on stderr (they are still counted)'
complete -c stream-agg -l max-line -x -a '4096 64K 1M 64M 1G' -d 'Longest accepted line (longer ones are rejected); default 64M'
complete -c stream-agg -s h -l help -d 'Print this help and exit'
complete -c stream-agg -l version -d 'Print the version and exit'
complete -c stream-agg -a 'count' -d 'records in the group; count:FIELD counts its non-null values'
complete -c stream-agg -a 'sum:' -d 'sum (integers exact; floats compensated)'
complete -c stream-agg -a 'mean:' -d 'arithmetic mean'
complete -c stream-agg -a 'min:' -d 'smallest value (numbers before strings)'
complete -c stream-agg -a 'max:' -d 'largest value (strings after numbers)'
complete -c stream-agg -a 'first:' -d 'first non-null value'
complete -c stream-agg -a 'last:' -d 'last non-null value'
complete -c stream-agg -a 'stddev:' -d 'sample standard deviation'
complete -c stream-agg -a 'var:' -d 'sample variance'
complete -c stream-agg -a 'median:' -d 'median (= p50)'
complete -c stream-agg -a 'p50: p90: p95: p99: p99.9:' -d 'percentile NN, 0 to 100, e.g. p90, p99.9 (linear interpolation)'
complete -c stream-agg -a 'distinct:' -d 'number of distinct values'
complete -c stream-agg -a 'mode:' -d 'most frequent value (the first seen among ties)'
