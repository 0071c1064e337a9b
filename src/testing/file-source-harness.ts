// What a file source's conformance run needs from its author: a way to put files where a
// source can find them, a source per file name, the secrets it was given, and a cleanup.
import type { GuardianFileSource } from '../contracts/file-source.js';

export interface FileSourceHarness {
  /** A fresh source for `fileName` in the place where the harness put the files. */
  source(fileName: string): GuardianFileSource | Promise<GuardianFileSource>;
  /** Passwords and keys the source was configured with: none may appear in a description or error. */
  readonly secrets?: readonly string[] | undefined;
  /** Removes what `create` placed (temp folders, remote files). */
  cleanup?(): Promise<void>;
}

export interface FileSourceCapabilities {
  /** The source can be asked for a file that does not exist (an in-memory upload cannot). @default true */
  readonly missingFiles?: boolean | undefined;
}

export interface FileSourceConformanceOptions {
  /** Shown in the test names. @example 'local file source' */
  readonly name: string;
  /** Places `files` (name → bytes) where a source can find them; called once per test. */
  create(files: Readonly<Record<string, Uint8Array>>): Promise<FileSourceHarness>;
  readonly capabilities?: FileSourceCapabilities | undefined;
  /** Skip the suite (e.g. a server that is not available here); never use it to hide failures in CI. */
  readonly skip?: boolean | undefined;
}
