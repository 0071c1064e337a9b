// A separate process for the session-lock tests: opens the store from a connection string,
// takes one lock and reports on one line of stdout, then waits until it is killed (the test
// kills it with SIGKILL, as a crash would: no release, no close, no goodbye to the server).
//   argv:   <url> <schema> <key> <owner>
//   output: {"pid":…,"result":LockAttempt}
import { createPostgresStore } from '../../src/postgres/index.js';

const [url = '', schema = '', key = '', owner = ''] = process.argv.slice(2);
const store = await createPostgresStore({ connectionString: url, schema });
const result = await store.acquireLock(key, { owner, ttlMs: 60_000 });
process.stdout.write(`${JSON.stringify({ pid: process.pid, result })}\n`);
// Keep the process (and its lock connection) alive until the test kills it.
setInterval(() => undefined, 60_000);
