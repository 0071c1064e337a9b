// Runs an example the way its header says (`npx tsx examples/<name>.ts`), in a child
// process, and returns what it printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** tsx's loader as a URL: `--import tsx` would be resolved from the child's working directory. */
export const TSX_LOADER = import.meta.resolve('tsx');

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ExampleResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runExample(name: string, env: Readonly<Record<string, string>> = {}): Promise<ExampleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, `examples/${name}`], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
