// Starts the bench's PostgreSQL server (postgres-server.ts: the cluster in .bench/postgres/,
// with the seeded schemas of (o) and (p)) and keeps it up until Ctrl-C or SIGTERM, printing
// its URL, for the PostgreSQL tools to share through BENCH_PG_URL (each otherwise starts and
// stops the server itself). Not while `npm run bench` runs: one server per cluster.
//
//   node --import tsx bench/postgres-serve.ts &
//   BENCH_PG_URL=<the URL it printed> node --import tsx bench/postgres-snapshot-sql.ts 1M many
import { startBenchPostgres } from './postgres-server.js';

const server = await startBenchPostgres();
console.log(server.url);
const stop = async (): Promise<void> => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setInterval(() => undefined, 1 << 30);
