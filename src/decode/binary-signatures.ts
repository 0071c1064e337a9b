// File types that arrive renamed to .csv (a spreadsheet saved as .xlsx, a zipped export,
// a PDF): recognized by their first bytes so they are refused clearly, never parsed as text.

interface Signature {
  readonly kind: string;
  readonly bytes: readonly number[];
}

const SIGNATURES: readonly Signature[] = [
  { kind: 'a ZIP archive (or an .xlsx/.ods spreadsheet, which is one)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'an empty ZIP archive', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { kind: 'a spanned ZIP archive', bytes: [0x50, 0x4b, 0x07, 0x08] },
  { kind: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { kind: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { kind: 'an old Excel .xls (or other Office) file', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { kind: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { kind: 'a TIFF image', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { kind: 'a TIFF image', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { kind: 'a RAR archive', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { kind: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { kind: 'a bzip2 archive', bytes: [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59] },
  { kind: 'an xz archive', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { kind: 'a SQLite database', bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66] },
];

/** What kind of binary file the bytes start like, or undefined when none is recognized. */
export function detectBinarySignature(bytes: Uint8Array): string | undefined {
  for (const signature of SIGNATURES) {
    if (bytes.length < signature.bytes.length) continue;
    if (signature.bytes.every((b, i) => bytes[i] === b)) return signature.kind;
  }
  return undefined;
}
