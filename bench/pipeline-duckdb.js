// DuckDB peer for bench/pipeline.sh: runs one SQL statement (CREATE TABLE ...
// AS SELECT ...) into a database file with the given number of threads, the
// way a user would run the pipeline's job in DuckDB. The benchmark times the
// whole process, start-up included.
// Usage: node bench/pipeline-duckdb.js DB_FILE THREADS 'SQL'
(async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const [dbFile, threads, sql] = process.argv.slice(2);
  const db = await DuckDBInstance.create(dbFile, { threads: String(threads) });
  const conn = await db.connect();
  await conn.run(sql);
  const reader = await conn.runAndReadAll('SELECT count(*) AS n FROM out');
  process.stdout.write(`${reader.getRowObjectsJson()[0].n}\n`);
})().catch((e) => {
  process.stderr.write(`pipeline-duckdb: ${e.message}\n`);
  process.exit(1);
});
