#!/usr/bin/env node
// The `guardian-sync` executable (built to dist/cli.js and dist/cli.cjs): runs the CLI on
// the process's arguments and exits with its exit code. Everything else lives in
// run-cli.ts so that the demo and the tests can run commands in-process.
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// `guardian-sync export --json | head` closes the pipe early: that is the reader's choice,
// not a crash, so end quietly instead of printing an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// No top-level await: the same file is also built as CommonJS.
void runCli(process.argv.slice(2), processIo()).then((code) => {
  // exitCode rather than exit(): pending stdout writes (a large JSON document into a
  // pipe) are flushed before the process ends.
  process.exitCode = code;
});
