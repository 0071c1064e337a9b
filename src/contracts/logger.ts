// The logger a host plugs in (`SyncGuardiansOptions.logger`, the SFTP source's `logger`): a
// plug point like the store and the file source, so it sits with the contracts and every
// layer that logs takes it from here.

/** A pino-compatible logger subset. It never receives secrets or whole rows. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}
