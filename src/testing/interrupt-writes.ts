// Fault injection for apply tests: the same store, with a writer that fails at a chosen
// write call. What a crash, a lost connection or a full disk does to an apply halfway.
import type { RosterStore, RosterWriter } from '../contracts/roster-store.js';

/** The writer methods that change the store (reads are never interrupted). */
export const WRITE_METHODS = ['insertAccounts', 'updateAccounts', 'putRoles', 'insertLinks', 'deleteLinks'] as const;

export interface InterruptWritesOptions {
  /** Write calls allowed before the failing one (0: the first write fails). */
  readonly afterCalls: number;
  /** The error thrown. @default an Error named `InjectedFault` */
  readonly error?: (() => unknown) | undefined;
}

/**
 * The store with a writer whose write call number `afterCalls` (0-based, counted across
 * every transaction) throws before it reaches the store. Everything else is the store's own.
 * @example await expect(applyPlan(interruptWrites(store, { afterCalls: 2 }), plan)).rejects.toThrow();
 */
export function interruptWrites<S extends RosterStore>(store: S, options: InterruptWritesOptions): S {
  let calls = 0;
  const fail = options.error ?? (() => Object.assign(new Error('injected fault'), { name: 'InjectedFault' }));
  const wrap = (writer: RosterWriter): RosterWriter => {
    const wrapped: Record<string, unknown> = {};
    for (const method of WRITE_METHODS) {
      const original = writer[method] as (rows: readonly unknown[]) => Promise<unknown>;
      wrapped[method] = async (rows: readonly unknown[]) => {
        if (calls++ === options.afterCalls) throw fail();
        return original.call(writer, rows);
      };
    }
    return {
      readAccounts: (ids) => writer.readAccounts(ids),
      readRoles: (districtId, role, ids) => writer.readRoles(districtId, role, ids),
      readStudentIds: (districtId, ids) => writer.readStudentIds(districtId, ids),
      ...(wrapped as Pick<RosterWriter, (typeof WRITE_METHODS)[number]>),
    };
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return <T>(body: (writer: RosterWriter) => Promise<T>, transactionOptions: Parameters<RosterStore['transaction']>[1]) =>
          target.transaction((writer) => body(wrap(writer)), transactionOptions);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
