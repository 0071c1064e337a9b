// The API reports: what each entry point of the package exports (runtime values and types,
// with their signatures), from the declarations in dist/, one committed report per entry.
//
//   npm run api        build, then rewrite the reports after a change to the public API (`--local`)
//   npm run api:check  fail when a report differs from what dist/ exports (`npm test` runs it
//                      right after its build; on its own it needs `npm run build` first)
//
// API Extractor runs once per entry with the settings of api-extractor.json; all entries
// share one TypeScript program of dist/*.d.ts. Both commands also check that the runtime
// values each entry's declarations promise are the ones its built JavaScript exports, as ESM
// and as CommonJS: a report of the .d.ts alone would not see a value the declarations name
// and the code lacks (or the reverse).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const configPath = fileURLToPath(new URL('api-extractor.json', import.meta.url));

/** Report name → the entry's declarations in dist/ (package.json "exports"). */
const ENTRIES = {
  'guardian-sync': 'index',
  'guardian-sync-pipeline': 'pipeline',
  'guardian-sync-sqlite': 'sqlite',
  'guardian-sync-postgres': 'postgres',
  'guardian-sync-sftp': 'sftp',
  'guardian-sync-testing': 'testing',
};

const local = process.argv.includes('--local');
const base = ExtractorConfig.loadFile(configPath);
const dts = (file) => `${root}dist/${file}.d.ts`;

for (const file of Object.values(ENTRIES)) {
  if (!existsSync(dts(file))) {
    console.error(`api-report: ${dts(file)} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
}

function prepare(reportName, file) {
  return ExtractorConfig.prepare({
    configObject: { ...base, mainEntryPointFilePath: dts(file), apiReport: { ...base.apiReport, reportFileName: reportName } },
    configObjectFullPath: configPath,
    packageJsonFullPath: `${root}package.json`,
  });
}

const configs = Object.entries(ENTRIES).map(([name, file]) => [name, prepare(name, file)]);
const compilerState = CompilerState.create(configs[0][1], { additionalEntryPoints: Object.values(ENTRIES).map(dts) });

// The names the root entry exports: a subpath may use these types without exporting them.
const program = /** @type {import('typescript').Program} */ (compilerState.program);
const checker = program.getTypeChecker();
const rootModule = checker.getSymbolAtLocation(/** @type {import('typescript').SourceFile} */ (program.getSourceFile(dts('index'))));
const rootNames = new Set(rootModule === undefined ? [] : checker.getExportsOfModule(rootModule).map((s) => s.name));

/** The names an entry's declarations export as values (functions, classes, constants). */
function declaredValues(file) {
  const module = checker.getSymbolAtLocation(/** @type {import('typescript').SourceFile} */ (program.getSourceFile(dts(file))));
  if (module === undefined) return [];
  const isValue = (symbol) => {
    if ((symbol.flags & ts.SymbolFlags.Alias) === 0) return (symbol.flags & ts.SymbolFlags.Value) !== 0;
    if (symbol.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) return false;
    return (checker.getAliasedSymbol(symbol).flags & ts.SymbolFlags.Value) !== 0;
  };
  return checker.getExportsOfModule(module).filter(isValue).map((s) => s.name).sort();
}

const require = createRequire(import.meta.url);
let failed = false;
for (const [name, file] of Object.entries(ENTRIES)) {
  const declared = declaredValues(file);
  const builds = [['ESM', Object.keys(await import(pathToFileURL(`${root}dist/${file}.js`).href))]];
  if (existsSync(`${root}dist/${file}.cjs`)) builds.push(['CommonJS', Object.keys(require(`${root}dist/${file}.cjs`))]);
  for (const [format, keys] of builds) {
    const missing = declared.filter((n) => !keys.includes(n));
    const undeclared = keys.filter((n) => !declared.includes(n));
    if (missing.length > 0 || undeclared.length > 0) {
      failed = true;
      console.error(`api-report: ${name} (${format}): declared but not exported: [${missing.join(', ')}]; exported but not declared: [${undeclared.join(', ')}]`);
    }
  }
  console.log(`api-report: ${name} exports ${declared.length} runtime values.`);
}

for (const [name, config] of configs) {
  const isRoot = name === 'guardian-sync';
  const result = Extractor.invoke(config, {
    localBuild: local,
    compilerState,
    printApiReportDiff: !local,
    messageCallback(message) {
      if (isRoot || message.messageId !== 'ae-forgotten-export') return;
      const symbol = /The symbol "([^"]+)"/.exec(message.text)?.[1];
      if (symbol !== undefined && rootNames.has(symbol)) message.logLevel = ExtractorLogLevel.None;
    },
  });
  if (!result.succeeded) {
    failed = true;
    console.error(
      result.apiReportChanged && !local
        ? `api-report: the public API of ${name} changed (diff above). If that is intended, run \`npm run api\` and commit the report in api/.`
        : `api-report: ${name}: ${result.errorCount} error(s), ${result.warningCount} warning(s).`,
    );
  } else if (result.apiReportChanged) {
    console.log(`api-report: updated the report of ${name}.`);
  }
}
process.exitCode = failed ? 1 : 0;
