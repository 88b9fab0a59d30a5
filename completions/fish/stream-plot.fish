# fish completion for stream-plot (stream-utils)
# Written by `stream-plot --generate=fish`: edit the option definitions, then run scripts/gen-docs.
function __stream_utils_durations
    set -l typed (commandline -ct | string replace -r -- '^--[^=]*=' '')
    if string match -qr -- '^[0-9]+$' $typed
        printf '%s\n' $typed{ms,s,m,h,d}
    else
        printf '%s\n' 250ms 1s 10s 30s 1m 5m 15m 1h 1d
    end
end
complete -c stream-plot -s y -l y -x -d 'Fields to draw, one series each'
complete -c stream-plot -s x -l x -x -d 'Field of the x axis: a time, or a number (default: the record number)'
complete -c stream-plot -s b -l by -x -d 'One series per value of this field (per --y field)'
complete -c stream-plot -l svg -r -F -d 'Write the chart as SVG to FILE, at each update and at the end'
complete -c stream-plot -l size -x -d 'Width of the SVG in pixels (default 900; the height is half)'
complete -c stream-plot -l title -x -d 'Title of the chart'
complete -c stream-plot -l tee -d 'Copy the input records to stdout (the chart then goes to stderr\'s terminal)'
complete -c stream-plot -l fps -x -d 'Redraw at most this many times a second (default 10)'
complete -c stream-plot -l points -x -d 'Keep the last N points of each series (default 2000)'
complete -c stream-plot -l span -x -a '(__stream_utils_durations)' -d 'Keep the points within DURATION of the newest x'
complete -c stream-plot -l ymin -x -d 'Lower end of the y axis (default: automatic)'
complete -c stream-plot -l ymax -x -d 'Upper end of the y axis (default: automatic)'
complete -c stream-plot -l rejects -r -F -d 'Write each rejected line as an NDJSON record to FILE'
complete -c stream-plot -l strict -d 'Stop at the first rejected line (exit status 3)'
complete -c stream-plot -l control -x -a 'auto always never' -d 'Write control records: auto (when stdout is a pipe or a socket), always, never'
complete -c stream-plot -s q -l quiet -d 'Do not report rejected lines on stderr (they are still counted)'
complete -c stream-plot -l max-line -x -a '4096 64K 1M 64M 1G' -d 'Longest accepted line (longer ones are rejected); default 64M'
complete -c stream-plot -s h -l help -d 'Print this help and exit'
complete -c stream-plot -l version -d 'Print the version and exit'
