// DuckDB peer for bench/agg.sh: runs one SQL query on one thread, prints the
// rows as NDJSON on stdout and the query's own time on stderr
// ("query seconds: S", without node's start-up).
// Usage: node bench/agg-duckdb.js 'SQL'
(async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  const start = process.hrtime.bigint();
  const reader = await conn.runAndReadAll(process.argv[2]);
  const rows = reader.getRowObjectsJson();
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  for (const row of rows) process.stdout.write(JSON.stringify(row) + '\n');
  process.stderr.write(`query seconds: ${secs.toFixed(3)}\n`);
})().catch((e) => {
  process.stderr.write(`agg-duckdb: ${e.message}\n`);
  process.exit(1);
});
