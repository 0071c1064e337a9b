// Makes every property test replayable: the seed comes from FC_SEED when set, otherwise
// one is drawn and printed, and fast-check prints it again (with the path) on failure.
import fc from 'fast-check';

const fromEnv = process.env['FC_SEED'];
const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);

fc.configureGlobal({ seed, numRuns });
if (process.env['FC_QUIET'] === undefined) {
  // One line per test file; replay with FC_SEED=<seed> npm test.
  process.stderr.write(`[fast-check] seed=${seed} numRuns=${numRuns} (replay: FC_SEED=${seed})\n`);
}
