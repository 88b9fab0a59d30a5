# fish completion for stream-gen (stream-utils)
# Written by `stream-gen --generate=fish`: edit the option definitions, then run scripts/gen-docs.
function __stream_utils_durations
    set -l typed (commandline -ct | string replace -r -- '^--[^=]*=' '')
    if string match -qr -- '^[0-9]+$' $typed
        printf '%s\n' $typed{ms,s,m,h,d}
    else
        printf '%s\n' 250ms 1s 10s 30s 1m 5m 15m 1h 1d
    end
end
complete -c stream-gen -s r -l rate -x -a '1/s 10/s 1000/s 1/m' -d 'Ticks per period: 1/s, 500/s, 2/m, 10/250ms (default: unlimited)'
complete -c stream-gen -s n -l count -x -d 'Stop after N ticks (default: never)'
complete -c stream-gen -s d -l duration -x -a '(__stream_utils_durations)' -d 'Stop after DURATION of record time (wall clock, or simulated with --start)'
complete -c stream-gen -s k -l keys -x -a 'sensor=s1,s2,s3' -d 'One record per key per tick: FIELD=K1,K2,...'
complete -c stream-gen -l start -x -d 'Simulated time: the first tick\'s time (RFC 3339); no sleeping'
complete -c stream-gen -l step -x -a '(__stream_utils_durations)' -d 'Simulated time between ticks (default: the --rate period, else 1s)'
complete -c stream-gen -l time-field -x -d 'Name of the time field (default timestamp; \'\' for none)'
complete -c stream-gen -s f -l format -x -a 'ndjson csv logfmt combined syslog' -d 'Output format'
complete -c stream-gen -l seed -x -d 'Seed of the random numbers: the same seed gives the same records on every machine'
complete -c stream-gen -l decimals -x -d 'Digits after the point of non-integer numbers (default 2)'
complete -c stream-gen -l disorder -x -a '(__stream_utils_durations)' -d 'Out of order: each time goes back by up to DURATION'
complete -c stream-gen -l late -x -a '0.1% 1%' -d 'This share of records is late: e.g. 0.1%; its time goes back by 2 to 3 times the --disorder (1m without it)'
complete -c stream-gen -s h -l help -d 'Print this help and exit'
complete -c stream-gen -l version -d 'Print the version and exit'
complete -c stream-gen -a 'walk' -d 'a random walk from START, each value the last plus a normal step of deviation STEP'
complete -c stream-gen -a 'uniform' -d 'a uniform number in [LO, HI)'
complete -c stream-gen -a 'normal' -d 'a normal number of mean MEAN and deviation SD'
complete -c stream-gen -a 'lognormal' -d 'exp of a normal number of mean MU and deviation SIGMA (latencies, sizes)'
complete -c stream-gen -a 'int' -d 'a uniform integer from LO to HI, both included'
complete -c stream-gen -a 'choice' -d 'one of the labels, each with weight W (default 1); a label that is a number is written as one'
complete -c stream-gen -a 'seq' -d 'START, START+STEP, ... (default 0 and 1), per key'
