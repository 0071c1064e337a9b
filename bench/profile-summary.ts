// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self
// time, and the project files with the most total time under them.
//
//   npx tsx bench/profile-summary.ts .bench/profiles/b-300000-0.cpuprofile [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(process.argv[3] ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

// Self time per node from samples and time deltas (µs).
const selfByNode = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] as number;
  selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = profile.endTime - profile.startTime;

const short = (url: string): string => {
  const at = url.indexOf('/node_modules/');
  if (at >= 0) return url.slice(at + 14);
  const src = url.search(/\/(src|bench)\//);
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '');
};
const label = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;

const selfByLabel = new Map<string, number>();
for (const node of profile.nodes) {
  const self = selfByNode.get(node.id) ?? 0;
  if (self === 0) continue;
  const key = label(node);
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + self);
}

// Inclusive time per node (children first), then per project file: time under any frame of that file, counted once per stack.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusiveByFile = new Map<string, number>();
const inclusiveByFunction = new Map<string, number>();
for (const [id, self] of selfByNode) {
  const files = new Set<string>();
  const functions = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    if (n === undefined) break;
    const url = n.callFrame.url;
    if (url.startsWith('file://') && !url.includes('/node_modules/')) {
      files.add(short(url));
      functions.add(label(n));
    }
  }
  for (const f of files) inclusiveByFile.set(f, (inclusiveByFile.get(f) ?? 0) + self);
  for (const f of functions) inclusiveByFunction.set(f, (inclusiveByFunction.get(f) ?? 0) + self);
}

const pct = (us: number): string => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const ms = (us: number): string => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const print = (title: string, map: Map<string, number>, n: number): void => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${ms(us)} ${pct(us)}  ${key}`);
};
// Hot lines: sample ticks per source line (useful on an esbuild bundle, where lines are real;
// tsx puts a module's code on one line).
const ticksByLine = new Map<string, number>();
let totalTicks = 0;
for (const node of profile.nodes) {
  for (const t of node.positionTicks ?? []) {
    totalTicks += t.ticks;
    if (node.callFrame.url === '' || node.callFrame.url.startsWith('node:')) continue;
    const key = `${node.callFrame.url}\u0000${t.line}`;
    ticksByLine.set(key, (ticksByLine.get(key) ?? 0) + t.ticks);
  }
}
const sourceCache = new Map<string, string[]>();
const sourceLine = (url: string, line: number): string => {
  if (!sourceCache.has(url)) {
    try {
      sourceCache.set(url, readFileSync(new URL(url), 'utf8').split('\n'));
    } catch {
      sourceCache.set(url, []);
    }
  }
  return (sourceCache.get(url)?.[line - 1] ?? '').trim().slice(0, 110);
};

console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time by function', selfByLabel, top);
print('total time by project file', inclusiveByFile, 25);
print('total time by project function', inclusiveByFunction, top);

console.log('\nhot lines (share of all ticks)');
for (const [key, ticks] of [...ticksByLine].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  const [url, line] = key.split('\u0000') as [string, string];
  console.log(`${((100 * ticks) / Math.max(1, totalTicks)).toFixed(1).padStart(5)}%  ${short(url)}:${line}  ${sourceLine(url, Number(line))}`);
}
