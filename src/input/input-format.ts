// The two input formats the reading stage knows. Used by the reading stage and the layers
// above it (sync options, the self-check, the CLI); nothing below the reading stage needs it.

/** `guardians`: a guardians.csv. `oneroster`: a OneRoster users.csv, or a zip of a OneRoster set (or of a guardians.csv). */
export type InputFormat = 'guardians' | 'oneroster';
