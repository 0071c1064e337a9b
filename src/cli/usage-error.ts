// A mistake on the command line (unknown flag, missing value, bad combination). It exits 2
// with the message and a pointer to the command's --help; it never carries a flag's value
// when that value may be a secret.

export class UsageError extends Error {
  /** The command whose --help the message points to (`sync`, `roster import`); undefined for the top level. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
