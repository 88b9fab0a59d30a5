// DuckDB peer for bench/agg.sh: runs one SQL query on one thread and prints
// the rows as NDJSON. Usage: node bench/agg-duckdb.js 'SQL'
(async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(process.argv[2]);
  for (const row of reader.getRowObjectsJson()) process.stdout.write(JSON.stringify(row) + '\n');
})().catch((e) => {
  process.stderr.write(`agg-duckdb: ${e.message}\n`);
  process.exit(1);
});
