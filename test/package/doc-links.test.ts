// The package's docs must stand alone (issue 14, part 4): a user of the npm package has
// README.md, CHANGELOG.md and docs/*.md, nothing else. Every relative link in them, and
// every `*.md` name mentioned in them or in a source comment, must resolve to one of those
// files, and a link's `#anchor` to a heading of its target.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The Markdown files the package ships (package.json `files`). */
function shippedDocs(): string[] {
  const files = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
  const out: string[] = [];
  for (const pattern of files) {
    if (pattern === 'docs/*.md') out.push(...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`));
    else if (pattern.endsWith('.md')) out.push(pattern);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${entry}`;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (entry.endsWith('.ts')) out.push(path);
  }
  return out;
}

const SHIPPED = new Set(shippedDocs());

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const match of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(match[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The shipped file a name or link means, seen from `from`; null when none. */
function resolveShipped(from: string, target: string): string | null {
  for (const base of [dirname(from), '.']) {
    const path = normalize(join(base, target)).split('\\').join('/');
    if (SHIPPED.has(path) && existsSync(join(ROOT, path))) return path;
  }
  return null;
}

describe('the docs stand on their own', () => {
  it('every relative link in README.md, CHANGELOG.md and docs/ points at a shipped file, and its anchor at a heading there', () => {
    const broken: string[] = [];
    for (const file of SHIPPED) {
      const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const resolved = path === '' ? file : resolveShipped(file, path);
        if (resolved === null) {
          broken.push(`${file}: ${target} is not a file of the package`);
          continue;
        }
        if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(`${file}: ${target} names no heading of ${resolved}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every *.md name mentioned in the docs and in src/ is a shipped file', () => {
    const missing: string[] = [];
    const files = [...SHIPPED, ...sourceFiles('src')];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const match of text.matchAll(/[\w./-]*[\w-]\.md\b/g)) {
        const name = match[0].replace(/^\.\//, '');
        if (resolveShipped(file, name) === null) missing.push(`${relative(ROOT, join(ROOT, file))}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the identity rules, the file format, and the report and export shapes are documented in the package', () => {
    for (const doc of ['docs/identity-rules.md', 'docs/file-format.md', 'docs/reports.md', 'docs/cli.md', 'docs/adapters.md']) expect(SHIPPED.has(doc), doc).toBe(true);
    const reports = readFileSync(join(ROOT, 'docs/reports.md'), 'utf8');
    for (const field of ['formatVersion', 'runId', 'status', 'counts', 'threshold', 'issues', 'rows']) expect(reports, field).toContain(`\`${field}\``);
    const cli = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    for (const field of ['districtId', 'accounts', 'students']) expect(cli, field).toContain(`\`${field}\``);
  });
});
