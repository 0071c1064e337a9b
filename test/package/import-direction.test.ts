// Imports only point down the stage order (issue item 1). Every TypeScript file under src/
// is parsed with the TypeScript compiler; its relative imports (static, `export … from`,
// `import type`, `typeof import()`, dynamic `import()`) are resolved to files, and the test
// fails on any cycle between files and on any import of a folder at a later level, or of a
// sibling folder on the same level. Type-only imports count: a type imported from above is
// the same layering error as a value (a lower stage would then change whenever the upper one
// does), and no case here needed an exception.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * The stage order, lowest first: a file may import its own folder and the folders of lower
 * levels. Folders on one level are siblings and may not import each other.
 *
 * The pure pipeline comes first (errors → model → contracts → normalize → decode → parse →
 * OneRoster readers → the reading stage → resolve → plan → apply → report), then the I/O
 * layers (stores, the SQL stores, file sources, SFTP), the orchestrator (sync: the guardian
 * sync, the self-check and the roster import, which use stores and sources), the conformance
 * suites and the CLI. Files directly in src/ (`index.ts`, `pipeline.ts`) are the package's
 * entries, above everything. A subpath entry (`src/sqlite/index.ts`, …) stays at its folder's
 * level: it re-exports that folder only, and the CLI loads it lazily.
 */
const STAGE_ORDER: readonly (readonly string[])[] = [
  ['errors'],
  ['model'],
  ['contracts'],
  ['normalize'],
  ['decode'],
  ['parse'],
  ['oneroster'],
  ['input'],
  ['resolve'],
  ['plan'],
  ['apply'],
  ['report'],
  ['stores'],
  ['sqlite', 'postgres'],
  ['sources'],
  ['sftp'],
  ['sync'],
  ['testing'],
  ['cli'],
];

/** Files by path relative to src/ (posix), each with the src files it imports. */
type ImportGraph = ReadonlyMap<string, readonly string[]>;

interface ImportProblems {
  /** Each cycle as a path that ends where it starts: `a.ts → b.ts → a.ts`. */
  readonly cycles: readonly string[];
  /** `from.ts → to.ts (why)` for each import of a later level or a sibling folder. */
  readonly upward: readonly string[];
  /** Files in a folder the order does not place. */
  readonly unplaced: readonly string[];
}

/** The folder a file belongs to: '' for the entries directly in src/. */
function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? '' : file.slice(0, slash);
}

/** Checks a graph against an order (lowest level first). Pure, so the self-test can feed it. */
function checkImportGraph(graph: ImportGraph, order: readonly (readonly string[])[]): ImportProblems {
  const levels = new Map<string, number>();
  order.forEach((folders, level) => folders.forEach((folder) => levels.set(folder, level)));
  levels.set('', order.length);

  const unplaced = [...graph.keys()].filter((file) => !levels.has(folderOf(file))).sort();
  const upward: string[] = [];
  for (const [from, targets] of graph) {
    const fromFolder = folderOf(from);
    const fromLevel = levels.get(fromFolder);
    if (fromLevel === undefined) continue;
    for (const to of targets) {
      const toFolder = folderOf(to);
      const toLevel = levels.get(toFolder);
      if (toFolder === fromFolder || toLevel === undefined) continue;
      if (toLevel > fromLevel) upward.push(`${from} → ${to} (${toFolder || 'an entry'} is above ${fromFolder || 'an entry'})`);
      else if (toLevel === fromLevel) upward.push(`${from} → ${to} (${toFolder} and ${fromFolder} are siblings)`);
    }
  }
  return { cycles: findCycles(graph), upward: upward.sort(), unplaced };
}

/**
 * One cycle per strongly connected component of more than one file (or a file importing
 * itself), Tarjan's algorithm; the cycle shown is the shortest one through the component's
 * first file.
 */
function findCycles(graph: ImportGraph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return components.map((component) => shortestCycle(graph, component)).sort();
}

/** Breadth-first from the component's first file back to it, inside the component. */
function shortestCycle(graph: ImportGraph, component: readonly string[]): string {
  const start = component[0]!;
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    for (const next of graph.get(file) ?? []) {
      if (!inside.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = file; at !== undefined && at !== start; at = previous.get(at)) path.unshift(at);
        path.unshift(start);
        return path.join(' → ');
      }
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return component.join(' → ');
}

/** Every module specifier a file names: imports, re-exports, `import()` and `typeof import()`. */
function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] !== undefined && ts.isStringLiteralLike(node.arguments[0])) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (entry.endsWith('.ts')) out.push(path);
  }
  return out;
}

/**
 * The src/ file a relative specifier names (`./x.js` is `./x.ts`, a folder its index.ts);
 * null for a file outside src/ (the CLI reads ../package.json: not a stage); undefined when
 * nothing matches, which the test reports rather than drop the edge.
 */
function resolveImport(fromFile: string, specifier: string): string | null | undefined {
  const base = join(dirname(fromFile), specifier);
  const fromSrc = relative(SRC, base);
  if (fromSrc.startsWith('..')) return null;
  const candidates = [base.replace(/\.(c|m)?js$/, '.$1ts'), base, `${base}.ts`, join(base, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return hit === undefined ? undefined : relative(SRC, hit).split('\\').join(posix.sep);
}

function readSourceGraph(): { graph: ImportGraph; unresolved: string[] } {
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const path of sourceFiles(SRC)) {
    const file = relative(SRC, path).split('\\').join(posix.sep);
    const targets = new Set<string>();
    for (const specifier of moduleSpecifiers(path, readFileSync(path, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveImport(path, specifier);
      if (target === undefined) unresolved.push(`${file}: ${specifier}`);
      else if (target !== null) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return { graph, unresolved };
}

describe('the checker (self-test)', () => {
  const order = [['low'], ['mid', 'side'], ['high']];

  it('reports a cycle between files, as a path back to its start', () => {
    const graph: ImportGraph = new Map([
      ['low/a.ts', ['low/b.ts']],
      ['low/b.ts', ['low/c.ts']],
      ['low/c.ts', ['low/a.ts']],
      ['low/d.ts', ['low/a.ts']],
    ]);
    expect(checkImportGraph(graph, order)).toEqual({ cycles: ['low/a.ts → low/b.ts → low/c.ts → low/a.ts'], upward: [], unplaced: [] });
  });

  it('reports a file that imports itself, and a cycle through a dynamic or type import alike', () => {
    const graph: ImportGraph = new Map([['mid/self.ts', ['mid/self.ts']]]);
    expect(checkImportGraph(graph, order).cycles).toEqual(['mid/self.ts → mid/self.ts']);
    const specifiers = moduleSpecifiers('x.ts', "import type { A } from './a.js';\nconst b = await import('./b.js');\nlet c: typeof import('./c.js');\nexport * as d from './d.js';\nexport type * from './e.js';");
    expect(specifiers).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js']);
  });

  it('reports an import of a later level, of a sibling folder and of an entry, and places entries on top', () => {
    const graph: ImportGraph = new Map([
      ['low/a.ts', ['high/b.ts']],
      ['mid/c.ts', ['side/d.ts', 'low/a.ts']],
      ['high/b.ts', ['index.ts']],
      ['index.ts', ['high/b.ts', 'low/a.ts']],
    ]);
    expect(checkImportGraph(graph, order).upward).toEqual([
      'high/b.ts → index.ts (an entry is above high)',
      'low/a.ts → high/b.ts (high is above low)',
      'mid/c.ts → side/d.ts (side and mid are siblings)',
    ]);
  });

  it('reports a file in a folder the order does not place', () => {
    const graph: ImportGraph = new Map([['nowhere/x.ts', []]]);
    expect(checkImportGraph(graph, order).unplaced).toEqual(['nowhere/x.ts']);
  });

  it('finds nothing in a graph that follows the order', () => {
    const graph: ImportGraph = new Map([
      ['high/a.ts', ['mid/b.ts', 'low/c.ts', 'high/d.ts']],
      ['mid/b.ts', ['low/c.ts']],
      ['high/d.ts', []],
      ['low/c.ts', []],
    ]);
    expect(checkImportGraph(graph, order)).toEqual({ cycles: [], upward: [], unplaced: [] });
  });
});

describe('src/ imports', () => {
  const { graph, unresolved } = readSourceGraph();

  it('are all read (the graph is the real one, not an empty walk)', () => {
    expect(unresolved).toEqual([]);
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('input/read-guardians-csv.ts')).toContain('parse/parse-guardian-file.ts');
    expect(graph.get('input/read-guardian-input.ts')).toContain('input/read-oneroster-input.ts');
  });

  it('have no cycle', () => {
    expect(checkImportGraph(graph, STAGE_ORDER).cycles).toEqual([]);
  });

  it('point only down the stage order, and every folder has a level', () => {
    const { upward, unplaced } = checkImportGraph(graph, STAGE_ORDER);
    expect(unplaced).toEqual([]);
    expect(upward).toEqual([]);
  });
});
