var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/errors/issue-codes.ts
var ISSUE_SEVERITY;
var init_issue_codes = __esm({
  "src/errors/issue-codes.ts"() {
    "use strict";
    ISSUE_SEVERITY = {
      FILE_NOT_FOUND: "error",
      FILE_EMPTY: "error",
      FILE_TOO_LARGE: "error",
      FILE_UNSTABLE: "error",
      BINARY_FILE: "error",
      UNDECODABLE: "error",
      MALFORMED_CSV: "error",
      MISSING_REQUIRED_COLUMN: "error",
      DUPLICATE_COLUMN: "error",
      NO_VALID_ROWS: "error",
      SCOPE_NOT_FOUND: "error",
      SYNC_IN_PROGRESS: "error",
      SOURCE_UNAVAILABLE: "error",
      HOST_KEY_MISMATCH: "error",
      AUTH_FAILED: "error",
      UNSAFE_ARCHIVE: "error",
      STORE_FAILED: "error",
      ABORTED: "error",
      INVALID_CONFIGURATION: "error",
      MISSING_VALUE: "error",
      WRONG_FIELD_COUNT: "error",
      INVALID_EMAIL: "warning",
      INVALID_PHONE: "warning",
      UNKNOWN_LANGUAGE: "warning",
      NO_CONTACT_CREDENTIAL: "warning",
      UNKNOWN_STUDENT: "warning",
      STUDENT_OUT_OF_SCOPE: "warning",
      CONFLICTING_GUARDIAN_ROWS: "warning",
      DUPLICATE_IDENTITY: "warning",
      CREDENTIAL_IN_USE: "warning",
      MISSING_GUARDIAN_SIS_ID: "warning",
      DANGLING_REFERENCE: "warning",
      CLAIMED_ACCOUNT_NOT_UPDATED: "info",
      THRESHOLD_EXCEEDED: "error",
      UNKNOWN_COLUMN: "warning",
      ENCODING_GUESSED: "warning"
    };
  }
});

// src/errors/issue.ts
function createIssue(code, message, where2 = {}) {
  const issue = {
    severity: where2.severity ?? ISSUE_SEVERITY[code],
    code,
    line: where2.line ?? null,
    column: where2.column ?? null,
    message
  };
  return where2.lines !== void 0 ? { ...issue, lines: where2.lines } : issue;
}
var init_issue = __esm({
  "src/errors/issue.ts"() {
    "use strict";
    init_issue_codes();
  }
});

// src/errors/guardian-sync-error.ts
function isGuardianSyncError(value) {
  return typeof value === "object" && value !== null && value[BRAND] === true;
}
var BRAND, GuardianSyncError;
var init_guardian_sync_error = __esm({
  "src/errors/guardian-sync-error.ts"() {
    "use strict";
    init_issue();
    BRAND = /* @__PURE__ */ Symbol.for("guardian-sync.error");
    GuardianSyncError = class extends Error {
      code;
      file;
      line;
      column;
      transient;
      constructor(code, message, context = {}, options) {
        super(message, isGuardianSyncError(options?.cause) ? { cause: options?.cause } : void 0);
        this.name = "GuardianSyncError";
        this.code = code;
        this.file = context.file;
        this.line = context.line;
        this.column = context.column;
        this.transient = context.transient ?? false;
        Object.defineProperty(this, BRAND, { value: true });
      }
      /** The error as a report issue. */
      toIssue() {
        return createIssue(this.code, this.message, { line: this.line ?? null, column: this.column ?? null });
      }
      toJSON() {
        return { name: this.name, code: this.code, message: this.message, file: this.file, line: this.line, column: this.column };
      }
    };
  }
});

// src/decode/binary-signatures.ts
function detectBinarySignature(bytes) {
  for (const signature of SIGNATURES) {
    if (bytes.length < signature.bytes.length) continue;
    if (signature.bytes.every((b, i) => bytes[i] === b)) return signature.kind;
  }
  return void 0;
}
var SIGNATURES;
var init_binary_signatures = __esm({
  "src/decode/binary-signatures.ts"() {
    "use strict";
    SIGNATURES = [
      { kind: "a ZIP archive (or an .xlsx/.ods spreadsheet, which is one)", bytes: [80, 75, 3, 4] },
      { kind: "an empty ZIP archive", bytes: [80, 75, 5, 6] },
      { kind: "a spanned ZIP archive", bytes: [80, 75, 7, 8] },
      { kind: "a PDF document", bytes: [37, 80, 68, 70, 45] },
      { kind: "a gzip archive", bytes: [31, 139] },
      { kind: "an old Excel .xls (or other Office) file", bytes: [208, 207, 17, 224, 161, 177, 26, 225] },
      { kind: "a PNG image", bytes: [137, 80, 78, 71, 13, 10, 26, 10] },
      { kind: "a JPEG image", bytes: [255, 216, 255] },
      { kind: "a GIF image", bytes: [71, 73, 70, 56] },
      { kind: "a TIFF image", bytes: [73, 73, 42, 0] },
      { kind: "a TIFF image", bytes: [77, 77, 0, 42] },
      { kind: "a RAR archive", bytes: [82, 97, 114, 33, 26, 7] },
      { kind: "a 7-Zip archive", bytes: [55, 122, 188, 175, 39, 28] },
      { kind: "a bzip2 archive", bytes: [66, 90, 104, 57, 49, 65, 89] },
      { kind: "an xz archive", bytes: [253, 55, 122, 88, 90, 0] },
      { kind: "a SQLite database", bytes: [83, 81, 76, 105, 116, 101, 32, 102] }
    ];
  }
});

// src/decode/byte-lines.ts
function lineAtOffset(bytes, offset, unitSize = 1, littleEndian = true) {
  let line = 1;
  const end = Math.min(offset, bytes.length);
  let previousWasCr = false;
  for (let i = 0; i + unitSize <= end; i += unitSize) {
    const unit = unitAt(bytes, i, unitSize, littleEndian);
    if (unit === 13) {
      line++;
      previousWasCr = true;
    } else {
      if (unit === 10 && !previousWasCr) line++;
      previousWasCr = false;
    }
  }
  return line;
}
function unitAt(bytes, i, size2, littleEndian) {
  if (size2 === 1) return bytes[i] ?? 0;
  if (size2 === 2) return littleEndian ? (bytes[i] ?? 0) | (bytes[i + 1] ?? 0) << 8 : (bytes[i] ?? 0) << 8 | (bytes[i + 1] ?? 0);
  const b0 = bytes[i] ?? 0;
  const b3 = bytes[i + 3] ?? 0;
  return littleEndian ? b0 | (bytes[i + 1] ?? 0) << 8 : b3 | (bytes[i + 2] ?? 0) << 8;
}
function scanUtf8(bytes, start = 0) {
  let multiByte = 0;
  let firstInvalid = -1;
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 128) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      if (firstInvalid === -1) firstInvalid = i;
      i++;
    } else {
      multiByte++;
      i += length;
    }
  }
  return { firstInvalid, multiByte };
}
function isContinuation(b) {
  return b !== void 0 && (b & 192) === 128;
}
function sequenceLength(bytes, i) {
  const b = bytes[i] ?? 0;
  const b1 = bytes[i + 1];
  if (b >= 194 && b <= 223) return isContinuation(b1) ? 2 : 0;
  if (b >= 224 && b <= 239) {
    if (b1 === void 0 || !isContinuation(b1) || !isContinuation(bytes[i + 2])) return 0;
    if (b === 224 && b1 < 160) return 0;
    if (b === 237 && b1 > 159) return 0;
    return 3;
  }
  if (b >= 240 && b <= 244) {
    if (b1 === void 0 || !isContinuation(b1) || !isContinuation(bytes[i + 2]) || !isContinuation(bytes[i + 3])) return 0;
    if (b === 240 && b1 < 144) return 0;
    if (b === 244 && b1 > 143) return 0;
    return 4;
  }
  return 0;
}
var init_byte_lines = __esm({
  "src/decode/byte-lines.ts"() {
    "use strict";
  }
});

// src/decode/encoding-names.ts
import iconv from "iconv-lite";
function canonicalEncodingName(label) {
  const squashed = label.trim().toLowerCase().replace(/[\s_.:-]/g, "");
  if (squashed === "") return void 0;
  let name = ALIASES.get(squashed);
  if (name === void 0) {
    const windows = /^(?:cp|win|windows|xcp)(12[5-9]\d)$/.exec(squashed);
    const iso = /^iso8859(\d{1,2})$/.exec(squashed);
    if (windows !== null) name = `windows-${windows[1] ?? ""}`;
    else if (iso !== null) name = `iso-8859-${iso[1] ?? ""}`;
    else name = label.trim().toLowerCase();
  }
  return iconv.encodingExists(name) ? name : void 0;
}
function requireEncodingName(label, option) {
  const name = canonicalEncodingName(label);
  if (name === void 0) {
    throw new GuardianSyncError(
      "INVALID_CONFIGURATION",
      `${option} "${label.slice(0, 40)}" is not an encoding this library can decode: use a name such as utf-8, windows-1252, windows-1250 or macintosh.`
    );
  }
  return name;
}
function isWideEncoding(name) {
  return name.startsWith("utf-16") || name.startsWith("utf-32");
}
var ALIASES;
var init_encoding_names = __esm({
  "src/decode/encoding-names.ts"() {
    "use strict";
    init_guardian_sync_error();
    ALIASES = /* @__PURE__ */ new Map([
      ["utf8", "utf-8"],
      ["unicode11utf8", "utf-8"],
      ["utf16le", "utf-16le"],
      ["utf16", "utf-16le"],
      ["ucs2", "utf-16le"],
      ["unicode", "utf-16le"],
      ["utf16be", "utf-16be"],
      ["utf32le", "utf-32le"],
      ["utf32be", "utf-32be"],
      ["iso88591", "windows-1252"],
      ["latin1", "windows-1252"],
      ["l1", "windows-1252"],
      ["ascii", "windows-1252"],
      ["usascii", "windows-1252"],
      ["cp819", "windows-1252"],
      ["ibm819", "windows-1252"],
      ["macroman", "macintosh"],
      ["mac", "macintosh"],
      ["xmacroman", "macintosh"],
      ["ibm850", "cp850"]
    ]);
  }
});

// src/decode/detect-encoding.ts
import { isUtf8 } from "node:buffer";
import jschardet from "jschardet";
function detectBom(bytes) {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 239 && b1 === 187 && b2 === 191) return { encoding: "utf-8", length: 3 };
  if (b0 === 255 && b1 === 254 && b2 === 0 && b3 === 0) return { encoding: "utf-32le", length: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 254 && b3 === 255) return { encoding: "utf-32be", length: 4 };
  if (b0 === 255 && b1 === 254) return { encoding: "utf-16le", length: 2 };
  if (b0 === 254 && b1 === 255) return { encoding: "utf-16be", length: 2 };
  return void 0;
}
function detectUtf16ByNuls(bytes) {
  const length = Math.min(bytes.length, UTF16_SAMPLE_BYTES) & ~1;
  if (length < 4) return void 0;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const pairs = length / 2;
  if (oddNuls / pairs > 0.3 && evenNuls / pairs < 0.02) return "utf-16le";
  if (evenNuls / pairs > 0.3 && oddNuls / pairs < 0.02) return "utf-16be";
  return void 0;
}
function where(fileName) {
  return fileName !== void 0 ? fileName : "The file";
}
function isBlankBytes(bytes, start, encoding) {
  const unit = encoding.startsWith("utf-32") ? 4 : encoding.startsWith("utf-16") ? 2 : 1;
  const bigEndian = encoding.endsWith("be");
  for (let i = start; i < bytes.length; i += unit) {
    let value = 0;
    for (let k = 0; k < unit; k++) {
      const b = bytes[i + k] ?? 0;
      value = bigEndian ? value * 256 + b : value + b * 256 ** k;
    }
    if (value !== 32 && value !== 9 && value !== 10 && value !== 13 && value !== 11 && value !== 12) return false;
  }
  return true;
}
function assertNoNul(bytes, start, encoding, fileName, bom) {
  const nul = bytes.indexOf(0, start);
  if (nul === -1) return;
  const line = lineAtOffset(bytes, nul);
  const bomNote = bom !== void 0 && bom.encoding !== encoding ? ` Its byte-order mark says ${bom.encoding}: do not name the encoding ${encoding}.` : "";
  throw new GuardianSyncError(
    "BINARY_FILE",
    `${where(fileName)} contains NUL bytes (first at line ${line}), so it is not ${encoding === "text" ? "a text file" : `a ${encoding} text file`}: it may be a spreadsheet or a damaged export.${bomNote} Save it again as "CSV UTF-8".`,
    { file: fileName, line }
  );
}
function assertUtf8(bytes, start, fileName, reason) {
  if (isUtf8(bytes.subarray(start))) return;
  const { firstInvalid } = scanUtf8(bytes, start);
  const line = lineAtOffset(bytes, firstInvalid);
  throw new GuardianSyncError(
    "UNDECODABLE",
    `${where(fileName)} is ${reason}, but line ${line} has bytes that are not valid UTF-8. Save the file again as "CSV UTF-8", or name its real encoding (--encoding).`,
    { file: fileName, line }
  );
}
function chardetIssues(bytes, legacy) {
  if (legacy === "windows-1252") {
    const found = UNDEFINED_IN_1252.map((b) => bytes.indexOf(b)).filter((i) => i !== -1);
    if (found.length > 0) {
      const undefinedAt = Math.min(...found);
      const line = lineAtOffset(bytes, undefinedAt);
      return [
        createIssue(
          "ENCODING_GUESSED",
          `The file is not UTF-8 and was decoded as windows-1252, but line ${line} has a byte windows-1252 does not define (shown as \uFFFD): the file is in another encoding. Save it as "CSV UTF-8" or name its encoding (--encoding).`,
          { line }
        )
      ];
    }
  }
  const sample = bytes.subarray(0, CHARDET_SAMPLE_BYTES);
  const result = jschardet.detect(sample);
  if (result.encoding === null || result.confidence < CHARDET_MIN_CONFIDENCE) return [];
  const other = canonicalEncodingName(result.encoding);
  if (other === void 0 || other === legacy || other === "utf-8" || isWideEncoding(other)) return [];
  const percent2 = Math.round(result.confidence * 100);
  return [
    createIssue(
      "ENCODING_GUESSED",
      `The file is not UTF-8; it was decoded as ${legacy}, but its bytes look like ${other} (detector confidence ${percent2}%). If names with accents look wrong, save the file as "CSV UTF-8" or name its encoding (--encoding ${other}).`
    )
  ];
}
function detectEncoding(bytes, options = {}) {
  const fileName = options.fileName;
  const legacy = requireEncodingName(options.legacyEncoding ?? DEFAULT_LEGACY_ENCODING, "legacyEncoding");
  const explicit = options.encoding !== void 0 ? requireEncodingName(options.encoding, "encoding") : void 0;
  if (bytes.length === 0) {
    throw new GuardianSyncError("FILE_EMPTY", `${where(fileName)} is empty (0 bytes): export it again.`, { file: fileName });
  }
  const binary = detectBinarySignature(bytes);
  if (binary !== void 0) {
    throw new GuardianSyncError(
      "BINARY_FILE",
      `${where(fileName)} is ${binary}, not a CSV text file. Open it in the spreadsheet and save it as "CSV UTF-8 (comma delimited)".`,
      { file: fileName }
    );
  }
  const bom = detectBom(bytes);
  let encoding;
  let bomLength = 0;
  let guessed = false;
  let issues = [];
  if (explicit !== void 0) {
    encoding = explicit;
    if (bom !== void 0 && (bom.encoding === explicit || bom.encoding === "utf-8" && explicit === "utf-8")) bomLength = bom.length;
  } else if (bom !== void 0) {
    encoding = bom.encoding;
    bomLength = bom.length;
  } else {
    const wide = detectUtf16ByNuls(bytes);
    if (wide !== void 0) {
      encoding = wide;
    } else {
      assertNoNul(bytes, 0, "text", fileName, void 0);
      if (isUtf8(bytes)) {
        encoding = "utf-8";
      } else {
        const scan = scanUtf8(bytes);
        if (scan.multiByte > 0) {
          const line = lineAtOffset(bytes, scan.firstInvalid);
          throw new GuardianSyncError(
            "UNDECODABLE",
            `${where(fileName)} mixes encodings: most of it is UTF-8, but line ${line} has bytes that are not. Save the file again as "CSV UTF-8", or name its encoding (--encoding) to decode it all one way.`,
            { file: fileName, line }
          );
        }
        encoding = legacy;
        guessed = true;
        issues = chardetIssues(bytes, legacy);
      }
    }
  }
  if (!isWideEncoding(encoding)) assertNoNul(bytes, bomLength, encoding, fileName, bom);
  if (encoding === "utf-8" && !guessed) {
    assertUtf8(bytes, bomLength, fileName, explicit !== void 0 ? "named as UTF-8" : bomLength > 0 ? "marked as UTF-8 (it starts with a UTF-8 byte-order mark)" : "UTF-8");
  }
  const unit = encoding.startsWith("utf-32") ? 4 : encoding.startsWith("utf-16") ? 2 : 1;
  if ((bytes.length - bomLength) % unit !== 0) {
    throw new GuardianSyncError(
      "UNDECODABLE",
      `${where(fileName)} is ${encoding} but its length is not a whole number of characters: it looks truncated. Upload it again.`,
      { file: fileName }
    );
  }
  if (isBlankBytes(bytes, bomLength, encoding)) {
    throw new GuardianSyncError("FILE_EMPTY", `${where(fileName)} has no header and no rows (only ${bomLength > 0 ? "a byte-order mark and " : ""}white space): export it again.`, {
      file: fileName
    });
  }
  return { encoding, bomLength, guessed, issues };
}
var DEFAULT_LEGACY_ENCODING, UTF16_SAMPLE_BYTES, CHARDET_SAMPLE_BYTES, CHARDET_MIN_CONFIDENCE, UNDEFINED_IN_1252;
var init_detect_encoding = __esm({
  "src/decode/detect-encoding.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_issue();
    init_binary_signatures();
    init_byte_lines();
    init_encoding_names();
    DEFAULT_LEGACY_ENCODING = "windows-1252";
    UTF16_SAMPLE_BYTES = 4096;
    CHARDET_SAMPLE_BYTES = 64 * 1024;
    CHARDET_MIN_CONFIDENCE = 0.06;
    UNDEFINED_IN_1252 = [129, 141, 143, 144, 157];
  }
});

// src/decode/decode-text.ts
import iconv2 from "iconv-lite";
function* decodeChunks(bytes, detection, chunkSize = DEFAULT_DECODE_CHUNK_SIZE) {
  const size2 = Math.max(16, Math.floor(chunkSize));
  const start = detection.bomLength;
  if (detection.encoding === "utf-8") {
    const decoder2 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    for (let offset = start; offset < bytes.length; offset += size2) {
      const end = Math.min(offset + size2, bytes.length);
      let text;
      try {
        text = decoder2.decode(bytes.subarray(offset, end), { stream: end < bytes.length });
      } catch {
        const line = lineAtOffset(bytes, offset);
        throw new GuardianSyncError("UNDECODABLE", `The file has bytes that are not valid UTF-8 at or after line ${line}. Save it again as "CSV UTF-8".`, { line });
      }
      if (text !== "") yield text;
    }
    return;
  }
  const decoder = iconv2.getDecoder(detection.encoding, { stripBOM: false });
  for (let offset = start; offset < bytes.length; offset += size2) {
    const end = Math.min(offset + size2, bytes.length);
    const text = decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset));
    if (text !== "") yield text;
  }
  const rest = decoder.end();
  if (rest !== void 0 && rest !== "") yield rest;
}
function decodeText(bytes, options = {}) {
  const detection = detectEncoding(bytes, options);
  let text = "";
  for (const chunk of decodeChunks(bytes, detection)) text += chunk;
  return { text, encoding: detection.encoding, guessed: detection.guessed, issues: detection.issues };
}
var DEFAULT_DECODE_CHUNK_SIZE;
var init_decode_text = __esm({
  "src/decode/decode-text.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_byte_lines();
    init_detect_encoding();
    DEFAULT_DECODE_CHUNK_SIZE = 1024 * 1024;
  }
});

// src/normalize/invisible-characters.ts
function stripInvisible(text) {
  return HAS_INVISIBLE_CHARACTER.test(text) ? text.replace(INVISIBLE_CHARACTERS, "") : text;
}
var INVISIBLE_CHARACTERS, HAS_INVISIBLE_CHARACTER;
var init_invisible_characters = __esm({
  "src/normalize/invisible-characters.ts"() {
    "use strict";
    INVISIBLE_CHARACTERS = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]/g;
    HAS_INVISIBLE_CHARACTER = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]/;
  }
});

// src/normalize/normalize-phone.ts
import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";
function normalizePlainNanp(text, region) {
  if (region !== "US" && !text.startsWith("+1")) return void 0;
  const match = PLAIN_NANP.exec(text);
  if (match === null) return void 0;
  const area = match[1] ?? match[2] ?? "";
  return `+1${area}${match[3] ?? ""}${match[4] ?? ""}`;
}
function assertPhoneRegion(region) {
  if (!checkedRegions.has(region)) {
    if (!isSupportedCountry(region)) {
      throw new GuardianSyncError(
        "INVALID_CONFIGURATION",
        `defaultRegion "${region.slice(0, 8)}" is not a known country code: use an ISO 3166-1 alpha-2 code such as US or GB.`
      );
    }
    checkedRegions.add(region);
  }
  return region;
}
function parseWithLibrary(text, region) {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
  if (parsed === void 0 || !parsed.isPossible()) return INVALID;
  return parsed.ext !== void 0 ? { value: parsed.number, invalid: false, extension: parsed.ext } : { value: parsed.number, invalid: false };
}
function normalizePhone(text, region = DEFAULT_PHONE_REGION) {
  const cleaned = stripInvisible(text).trim();
  if (cleaned === "") return BLANK;
  const country = assertPhoneRegion(region);
  const fast = normalizePlainNanp(cleaned, country);
  if (fast !== void 0) return { value: fast, invalid: false };
  if (cleaned.length > MAX_CACHED_LENGTH) return parseWithLibrary(cleaned, country);
  const key = `${country}\0${cleaned}`;
  const cached = cache.get(key);
  if (cached !== void 0) return cached;
  const result = parseWithLibrary(cleaned, country);
  if (cache.size >= PHONE_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, result);
  return result;
}
var DEFAULT_PHONE_REGION, PHONE_CACHE_SIZE, BLANK, INVALID, PLAIN_NANP, MAX_CACHED_LENGTH, cache, checkedRegions;
var init_normalize_phone = __esm({
  "src/normalize/normalize-phone.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_invisible_characters();
    DEFAULT_PHONE_REGION = "US";
    PHONE_CACHE_SIZE = 2e4;
    BLANK = Object.freeze({ value: null, invalid: false });
    INVALID = Object.freeze({ value: null, invalid: true });
    PLAIN_NANP = /^(?:\+?1[ .-]?)?(?:\(([2-9]\d\d)\)[ .-]?|([2-9]\d\d)[ .-]?)([2-9]\d\d)[ .-]?(\d{4})$/;
    MAX_CACHED_LENGTH = 48;
    cache = /* @__PURE__ */ new Map();
    checkedRegions = /* @__PURE__ */ new Set();
  }
});

// src/parse/detect-delimiter.ts
function firstLineEnd(text) {
  let inQuotes = false;
  let seenContent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      inQuotes = !inQuotes;
      seenContent = true;
    } else if ((c === 10 || c === 13) && !inQuotes) {
      if (seenContent) return i;
    } else if (c !== 32 && c !== 9 && c !== 65279) {
      seenContent = true;
    }
  }
  return -1;
}
function detectDelimiter(text) {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  let seenContent = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === '"') inQuotes = !inQuotes;
    else if ((ch === "\n" || ch === "\r") && !inQuotes) {
      if (seenContent) break;
      continue;
    } else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    if (ch !== " " && ch !== "	") seenContent = true;
  }
  let best = DELIMITERS[0];
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}
function readPreamble(head) {
  const bom = head.charCodeAt(0) === 65279 ? 1 : 0;
  const sep = SEP_LINE.exec(head.slice(bom));
  if (sep !== null) {
    return { delimiter: sep[1] ?? ",", skip: bom + sep[0].length, lineOffset: 1, fromSepLine: true };
  }
  return { delimiter: detectDelimiter(head.slice(bom)), skip: bom, lineOffset: 0, fromSepLine: false };
}
var DELIMITERS, SEP_LINE;
var init_detect_delimiter = __esm({
  "src/parse/detect-delimiter.ts"() {
    "use strict";
    DELIMITERS = [",", ";", "	"];
    SEP_LINE = /^sep=([^\r\n"])[ \t]*(?:\r\n|\n|\r|$)/i;
  }
});

// src/model/guardian-row.ts
var GUARDIAN_FIELDS;
var init_guardian_row = __esm({
  "src/model/guardian-row.ts"() {
    "use strict";
    GUARDIAN_FIELDS = [
      "studentSisId",
      "guardianSisId",
      "firstName",
      "lastName",
      "email",
      "mobilePhone",
      "homePhone",
      "language",
      "relationship"
    ];
  }
});

// src/parse/header-mapping.ts
function headerKey(text) {
  return stripInvisible(text).normalize("NFC").toLowerCase().replace(/[\s_.-]+/g, "");
}
function aliases() {
  if (aliasIndex === void 0) {
    aliasIndex = /* @__PURE__ */ new Map();
    for (const field of GUARDIAN_FIELDS) {
      aliasIndex.set(headerKey(field), field);
      for (const alias of HEADER_ALIASES[field]) aliasIndex.set(headerKey(alias), field);
    }
  }
  return aliasIndex;
}
function quoted(text) {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
function mapHeader(cells, options) {
  const { line, fileName } = options;
  const columns = cells.map((cell) => stripInvisible(cell).trim());
  const keys = columns.map(headerKey);
  const issues = [];
  const firstByKey = /* @__PURE__ */ new Map();
  keys.forEach((key, index) => {
    if (key === "") return;
    const first2 = firstByKey.get(key);
    if (first2 !== void 0) {
      throw new GuardianSyncError(
        "DUPLICATE_COLUMN",
        `The header on line ${line} has the column ${quoted(columns[index] ?? "")} twice (columns ${first2 + 1} and ${index + 1}). Remove or rename one of them.`,
        { file: fileName, line, column: columns[index] }
      );
    }
    firstByKey.set(key, index);
  });
  const indexes = /* @__PURE__ */ new Map();
  const mapping = {};
  const explicit = options.columns ?? {};
  const claimed = /* @__PURE__ */ new Set();
  for (const field of GUARDIAN_FIELDS) {
    if (!Object.hasOwn(explicit, field)) continue;
    const wanted = explicit[field];
    if (wanted === void 0) continue;
    const index = firstByKey.get(headerKey(wanted));
    if (index === void 0) {
      if (REQUIRED_FIELDS.includes(field)) continue;
      issues.push(
        createIssue("UNKNOWN_COLUMN", `The column mapping names ${quoted(wanted)} for ${field}, but the header has no such column: ${field} is left empty.`, {
          line,
          column: wanted
        })
      );
      continue;
    }
    if (claimed.has(index)) {
      throw new GuardianSyncError("DUPLICATE_COLUMN", `The column mapping maps the column ${quoted(wanted)} to two fields: map each column to one field.`, {
        file: fileName,
        line,
        column: wanted
      });
    }
    indexes.set(field, index);
    mapping[field] = columns[index] ?? wanted;
    claimed.add(index);
  }
  const lastNamed = keys.reduce((last, key, index) => key !== "" ? index : last, -1);
  keys.forEach((key, index) => {
    if (claimed.has(index)) return;
    const shown2 = columns[index] ?? "";
    if (key === "") {
      if (index < lastNamed) {
        issues.push(createIssue("UNKNOWN_COLUMN", `Column ${index + 1} of the header has no name: its values are ignored.`, { line, column: `column ${index + 1}` }));
      }
      return;
    }
    const field = aliases().get(key);
    if (field === void 0) {
      issues.push(createIssue("UNKNOWN_COLUMN", `The column ${quoted(shown2)} is not a known field: its values are ignored.`, { line, column: shown2 }));
      return;
    }
    const mappedTo = Object.hasOwn(explicit, field) ? explicit[field] : void 0;
    if (mappedTo !== void 0) {
      issues.push(
        createIssue("UNKNOWN_COLUMN", `The column ${quoted(shown2)} is ignored: the column mapping takes ${field} from ${quoted(mappedTo)}.`, {
          line,
          column: shown2
        })
      );
      return;
    }
    const other = indexes.get(field);
    if (other !== void 0) {
      throw new GuardianSyncError(
        "DUPLICATE_COLUMN",
        `The header on line ${line} has two columns for ${field}: ${quoted(columns[other] ?? "")} (column ${other + 1}) and ${quoted(shown2)} (column ${index + 1}). Remove or rename one of them, or choose one with a column mapping.`,
        { file: fileName, line, column: shown2 }
      );
    }
    indexes.set(field, index);
    mapping[field] = shown2;
  });
  const missing = REQUIRED_FIELDS.filter((field) => !indexes.has(field));
  const hasContact = CONTACT_FIELDS.some((field) => indexes.has(field));
  if (missing.length > 0 || !hasContact) {
    const parts = missing.map((field) => {
      const mapped = explicit[field];
      return mapped !== void 0 ? `${field} (mapped to ${quoted(mapped)}, not found)` : field;
    });
    if (!hasContact) parts.push("email or mobilePhone (at least one)");
    const found = columns.filter((c) => c !== "").slice(0, 20).map(quoted).join(", ");
    throw new GuardianSyncError(
      "MISSING_REQUIRED_COLUMN",
      `The header on line ${line} lacks required column${parts.length > 1 ? "s" : ""}: ${parts.join("; ")}. Found: ${found}. Add the column${parts.length > 1 ? "s" : ""}, or map your header names (--column field=Header).`,
      { file: fileName, line, column: missing[0] ?? "email" }
    );
  }
  if (!indexes.has("guardianSisId")) {
    issues.push(
      createIssue(
        "MISSING_GUARDIAN_SIS_ID",
        "The file has no guardianSisId column: guardians are matched by name and contact only, and a guardian whose email or phone changes gets a new account.",
        { column: "guardianSisId" }
      )
    );
  }
  return { indexes, mapping, columns, issues };
}
var HEADER_ALIASES, REQUIRED_FIELDS, CONTACT_FIELDS, aliasIndex;
var init_header_mapping = __esm({
  "src/parse/header-mapping.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_issue();
    init_guardian_row();
    init_invisible_characters();
    HEADER_ALIASES = Object.freeze({
      studentSisId: ["studentId", "student_sis_id", "Student SIS ID", "student_id", "studentSourcedId"],
      guardianSisId: ["guardianId", "parentSisId", "parent_id", "contactSisId", "Guardian SIS ID"],
      firstName: ["guardianFirstName", "parentFirstName", "givenName", "First Name"],
      lastName: ["guardianLastName", "parentLastName", "familyName", "Last Name"],
      email: ["guardianEmail", "parentEmail", "Email Address"],
      mobilePhone: ["mobile", "cellPhone", "cell", "sms", "phone", "guardianPhone"],
      homePhone: ["home", "landline", "alternatePhone"],
      language: ["preferredLanguage", "languageCode", "lang"],
      relationship: ["relation", "contactType", "relationshipRole"]
    });
    REQUIRED_FIELDS = ["studentSisId", "firstName", "lastName"];
    CONTACT_FIELDS = ["email", "mobilePhone"];
  }
});

// src/normalize/normalize-email.ts
import { z } from "zod";
function normalizeEmail(text) {
  const cleaned = stripInvisible(text).trim();
  if (cleaned === "") return BLANK2;
  const value = cleaned.normalize("NFC").toLowerCase();
  if (value.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(value)) return INVALID2;
  return { value, invalid: false };
}
var EMAIL_PATTERN, MAX_EMAIL_LENGTH, BLANK2, INVALID2;
var init_normalize_email = __esm({
  "src/normalize/normalize-email.ts"() {
    "use strict";
    init_invisible_characters();
    EMAIL_PATTERN = z.regexes.email;
    MAX_EMAIL_LENGTH = 254;
    BLANK2 = Object.freeze({ value: null, invalid: false });
    INVALID2 = Object.freeze({ value: null, invalid: true });
  }
});

// src/normalize/normalize-id.ts
function normalizeId(text) {
  return stripInvisible(text).trim();
}
var init_normalize_id = __esm({
  "src/normalize/normalize-id.ts"() {
    "use strict";
    init_invisible_characters();
  }
});

// src/normalize/normalize-language.ts
function displayNames(type) {
  if (type === "language") {
    englishNames ??= new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
    return englishNames;
  }
  return new Intl.DisplayNames(["en"], { type, fallback: "none" });
}
function lazy(make) {
  let value;
  return () => value ??= make();
}
function hasName(names, code) {
  try {
    return names.of(code) !== void 0;
  } catch {
    return false;
  }
}
function canonicalTag(text) {
  let canonical;
  try {
    canonical = Intl.getCanonicalLocales(text.replace(/_/g, "-"))[0];
  } catch {
    return void 0;
  }
  if (canonical === void 0) return void 0;
  const locale = new Intl.Locale(canonical);
  if (NOT_A_LANGUAGE.has(locale.language) || !hasName(displayNames("language"), locale.language)) return void 0;
  if (locale.script !== void 0 && !hasName(scriptNames(), locale.script)) return void 0;
  if (locale.region !== void 0 && !hasName(regionNames(), locale.region)) return void 0;
  return canonical;
}
function foldName2(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[()[\],;/]/g, " ").replace(/\s+/g, " ").trim();
}
function buildNameTable() {
  const table = /* @__PURE__ */ new Map();
  const english = displayNames("language");
  const englishStandard = new Intl.DisplayNames(["en"], { type: "language", fallback: "none", languageDisplay: "standard" });
  const codes = [];
  for (let a = 97; a <= 122; a++) {
    for (let b = 97; b <= 122; b++) {
      const code = String.fromCharCode(a, b);
      if (english.of(code) !== void 0) codes.push(code);
    }
  }
  codes.push(...EXTRA_CODES, ...EXTRA_TAGS);
  const natives = [];
  for (const code of codes) {
    const tag = canonicalTag(code);
    if (tag === void 0) continue;
    for (const name of [english.of(code), englishStandard.of(code)]) {
      if (name !== void 0 && !table.has(foldName2(name))) table.set(foldName2(name), tag);
    }
    try {
      const native = new Intl.DisplayNames([code], { type: "language", fallback: "none" }).of(code);
      if (native !== void 0) natives.push([foldName2(native), tag]);
    } catch {
    }
  }
  for (const [key, tag] of natives) if (!table.has(key)) table.set(key, tag);
  for (const [name, code] of EXTRA_NAMES) {
    const tag = canonicalTag(code);
    if (tag !== void 0) table.set(foldName2(name), tag);
  }
  return table;
}
function resolve(cleaned) {
  if (TAG_SYNTAX.test(cleaned)) {
    const tag2 = canonicalTag(cleaned);
    if (tag2 !== void 0) return { value: tag2, invalid: false };
  }
  nameTable ??= buildNameTable();
  const tag = nameTable.get(foldName2(cleaned));
  return tag !== void 0 ? { value: tag, invalid: false } : INVALID3;
}
function normalizeLanguage(text) {
  const cleaned = stripInvisible(text).trim();
  if (cleaned === "") return BLANK3;
  if (cleaned.length > MAX_LANGUAGE_LENGTH) return INVALID3;
  const cached = cache2.get(cleaned);
  if (cached !== void 0) return cached;
  const result = resolve(cleaned);
  if (cache2.size >= CACHE_LIMIT) cache2.clear();
  cache2.set(cleaned, result);
  return result;
}
var BLANK3, INVALID3, TAG_SYNTAX, NOT_A_LANGUAGE, CACHE_LIMIT, MAX_LANGUAGE_LENGTH, EXTRA_CODES, EXTRA_TAGS, EXTRA_NAMES, englishNames, nameTable, cache2, scriptNames, regionNames;
var init_normalize_language = __esm({
  "src/normalize/normalize-language.ts"() {
    "use strict";
    init_invisible_characters();
    BLANK3 = Object.freeze({ value: null, invalid: false });
    INVALID3 = Object.freeze({ value: null, invalid: true });
    TAG_SYNTAX = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;
    NOT_A_LANGUAGE = /* @__PURE__ */ new Set(["und", "zxx", "mul", "mis"]);
    CACHE_LIMIT = 2e3;
    MAX_LANGUAGE_LENGTH = 80;
    EXTRA_CODES = [
      "ase",
      "ceb",
      "chk",
      "chr",
      "ckb",
      "crs",
      "fil",
      "haw",
      "hmn",
      "ilo",
      "kar",
      "kea",
      "mww",
      "nv",
      "pon",
      "prs",
      "war",
      "yue"
    ];
    EXTRA_TAGS = ["zh-Hans", "zh-Hant", "pt-BR", "pt-PT", "es-MX", "es-419", "es-ES", "fr-CA", "en-US", "en-GB"];
    EXTRA_NAMES = [
      ["mandarin", "zh"],
      ["mandarin chinese", "zh"],
      ["cantonese chinese", "yue"],
      ["farsi", "fa"],
      ["tagalog", "fil"],
      ["castilian", "es"],
      ["creole haitian", "ht"],
      ["haitian", "ht"],
      ["kreyol", "ht"],
      ["kreyol ayisyen", "ht"],
      ["american sign language", "ase"],
      ["chinese simplified", "zh-Hans"],
      ["chinese traditional", "zh-Hant"]
    ];
    cache2 = /* @__PURE__ */ new Map();
    scriptNames = lazy(() => displayNames("script"));
    regionNames = lazy(() => displayNames("region"));
  }
});

// src/normalize/normalize-name.ts
function normalizeName(text) {
  if (text === "" || ALREADY_NORMAL_ASCII.test(text)) return text;
  return stripInvisible(text).normalize("NFC").replace(WHITESPACE_RUN, " ").trim();
}
var ALREADY_NORMAL_ASCII, WHITESPACE_RUN;
var init_normalize_name = __esm({
  "src/normalize/normalize-name.ts"() {
    "use strict";
    init_invisible_characters();
    ALREADY_NORMAL_ASCII = /^[\x21-\x7E]+(?: [\x21-\x7E]+)*$/;
    WHITESPACE_RUN = /\s+/g;
  }
});

// src/parse/validate-row.ts
function shown(text) {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed);
}
function required(raw, field, line, issues, normalize) {
  const value = normalize(raw[field] ?? "");
  if (value === "") {
    issues.push(createIssue("MISSING_VALUE", `${field} is empty: the row is skipped.`, { line, column: field }));
  }
  return value;
}
function phone(raw, field, line, region, issues) {
  const text = raw[field];
  if (text === void 0 || text === "") return null;
  const result = normalizePhone(text, region);
  if (result.invalid) {
    issues.push(
      createIssue("INVALID_PHONE", `${field} ${shown(text)} is not a possible phone number (default region ${region}): it is ignored.`, {
        line,
        column: field
      })
    );
    return null;
  }
  if (field === "homePhone" && result.value !== null && result.extension !== void 0) return `${result.value};ext=${result.extension}`;
  return result.value;
}
function validateGuardianRow(raw, line, options = {}) {
  const region = options.defaultRegion ?? DEFAULT_PHONE_REGION;
  const issues = [];
  const studentSisId = required(raw, "studentSisId", line, issues, normalizeId);
  const firstName = required(raw, "firstName", line, issues, normalizeName);
  const lastName = required(raw, "lastName", line, issues, normalizeName);
  let guardianSisId = null;
  if (raw.guardianSisId !== void 0) {
    guardianSisId = normalizeId(raw.guardianSisId);
    if (guardianSisId === "") {
      guardianSisId = null;
      issues.push(
        createIssue("MISSING_GUARDIAN_SIS_ID", "guardianSisId is empty: this guardian is matched by name and contact only.", {
          line,
          column: "guardianSisId"
        })
      );
    }
  }
  let email = null;
  if (raw.email !== void 0 && raw.email !== "") {
    const result = normalizeEmail(raw.email);
    if (result.invalid) {
      issues.push(createIssue("INVALID_EMAIL", `email ${shown(raw.email)} is not a valid address: it is ignored.`, { line, column: "email" }));
    }
    email = result.value;
  }
  const mobilePhone = phone(raw, "mobilePhone", line, region, issues);
  const homePhone = phone(raw, "homePhone", line, region, issues);
  let language = null;
  if (raw.language !== void 0 && raw.language !== "") {
    const result = normalizeLanguage(raw.language);
    if (result.invalid) {
      issues.push(
        createIssue("UNKNOWN_LANGUAGE", `language ${shown(raw.language)} is not a known language: it is left empty.`, {
          line,
          column: "language"
        })
      );
    }
    language = result.value;
  }
  const relationshipText = raw.relationship !== void 0 ? normalizeName(raw.relationship) : "";
  const relationship = relationshipText === "" ? null : relationshipText;
  if (studentSisId === "" || firstName === "" || lastName === "") return { row: null, issues };
  if (email === null && mobilePhone === null) {
    issues.push(
      createIssue("NO_CONTACT_CREDENTIAL", "The guardian has neither a usable email nor a usable mobile phone: not added until a file has one.", {
        line,
        column: raw.email !== void 0 ? "email" : "mobilePhone"
      })
    );
    return { row: null, issues };
  }
  return {
    row: { line, studentSisId, guardianSisId, firstName, lastName, email, mobilePhone, homePhone, language, relationship },
    issues
  };
}
var init_validate_row = __esm({
  "src/parse/validate-row.ts"() {
    "use strict";
    init_issue();
    init_normalize_email();
    init_normalize_id();
    init_normalize_language();
    init_normalize_name();
    init_normalize_phone();
  }
});

// src/parse/parse-guardian-file.ts
import { Buffer as Buffer2 } from "node:buffer";
import { Parser } from "csv-parse";
function toAsyncIterable(input2) {
  if (typeof input2 === "string") return (async function* () {
    yield input2;
  })();
  if (Symbol.asyncIterator in input2) return input2;
  const iterable = input2;
  return (async function* () {
    yield* iterable;
  })();
}
function countBreaks(fields) {
  let breaks = 0;
  for (const field of fields) {
    if (field.indexOf("\n") === -1 && field.indexOf("\r") === -1) continue;
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      if (c === 13) {
        breaks++;
        if (field.charCodeAt(i + 1) === 10) i++;
      } else if (c === 10) breaks++;
    }
  }
  return breaks;
}
function isBlank(fields) {
  for (const field of fields) if (field.trim() !== "") return false;
  return true;
}
function isCsvError(error) {
  const code = error.code;
  return typeof code === "string" && (code.startsWith("CSV_") || code === "INVALID_OPENING_QUOTE");
}
function noop() {
}
function createCsvEngine(options) {
  const engine = new Parser(options).api;
  if (engine === void 0 || typeof engine.parse !== "function") {
    throw new Error("csv-parse no longer exposes its parsing engine as Parser#api: guardian-sync needs updating for this csv-parse version.");
  }
  return engine;
}
function isAborted(signal) {
  return signal !== void 0 && signal.aborted;
}
function aborted(fileName) {
  return new GuardianSyncError("ABORTED", "Reading the guardian file was cancelled.", { file: fileName });
}
function csvErrorToGuardianError(error, line, headerCells, options, maxRecordSize) {
  const file = options.fileName;
  const index = error.column;
  const column = typeof index === "number" ? headerCells?.[index]?.trim() || `column ${index + 1}` : void 0;
  const at = `the record starting at line ${line}${column !== void 0 ? `, column ${JSON.stringify(column)}` : ""}`;
  let message;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      message = `A double quote opened in ${at} is never closed, so the rest of the file would be one value. Close the quote, or remove it.`;
      break;
    case "CSV_MAX_RECORD_SIZE":
      message = `${at[0]?.toUpperCase() ?? ""}${at.slice(1)} is longer than ${maxRecordSize} characters: a double quote opened there is probably never closed, or a value is far too long. Fix the quoting at that line.`;
      break;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      message = `In ${at}, a quoted value has text right after its closing quote. Inside quotes, write a double quote as two double quotes (""); a backslash before a quote (\\") is not CSV escaping.`;
      break;
    case "INVALID_OPENING_QUOTE":
      message = `In ${at}, a double quote appears in the middle of a value that does not start with one. Quote the whole value and double the inner quotes ("Ann ""Nan"" Lee"), or remove the quote.`;
      break;
    default:
      message = `${at[0]?.toUpperCase() ?? ""}${at.slice(1)} is not valid CSV (${error.code}). Fix the quoting at that line.`;
  }
  return new GuardianSyncError("MALFORMED_CSV", message, { file, line, column });
}
async function* parseGuardianFile(input2, options = {}) {
  const { fileName, signal } = options;
  const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
  if (!Number.isSafeInteger(maxRecordSize) || maxRecordSize < 1) {
    throw new GuardianSyncError("INVALID_CONFIGURATION", `maxRecordSize must be a positive whole number of characters (got ${String(maxRecordSize)}).`);
  }
  if (options.defaultRegion !== void 0) assertPhoneRegion(options.defaultRegion);
  if (isAborted(signal)) throw aborted(fileName);
  const source = toAsyncIterable(input2)[Symbol.asyncIterator]();
  let head = "";
  let sourceDone = false;
  while (head.length <= maxRecordSize && firstLineEnd(head) === -1) {
    const next = await source.next();
    if (next.done === true) {
      sourceDone = true;
      break;
    }
    head += next.value;
  }
  const preamble = readPreamble(head);
  head = head.slice(preamble.skip);
  async function* text() {
    let carry = head;
    head = "";
    try {
      while (!sourceDone) {
        if (isAborted(signal)) throw aborted(fileName);
        const next = await source.next();
        if (next.done === true) break;
        carry += next.value;
        const last = carry.charCodeAt(carry.length - 1);
        const keep = last >= 55296 && last <= 56319 ? 1 : 0;
        if (carry.length > keep) yield carry.slice(0, carry.length - keep);
        carry = carry.slice(carry.length - keep);
      }
      if (carry !== "") yield carry;
    } finally {
      if (!sourceDone) await source.return?.();
    }
  }
  let lastLine = preamble.lineOffset;
  let headerCells;
  const batch = [];
  const push = (record) => {
    const fields = record;
    const line = lastLine + 1;
    lastLine = line + countBreaks(fields);
    if (isBlank(fields)) return;
    headerCells ??= fields;
    batch.push({ fields, line });
  };
  const parser = createCsvEngine({
    delimiter: preamble.delimiter,
    // All three, always: csv-parse otherwise keeps the first one it sees for the whole file.
    record_delimiter: ["\r\n", "\n", "\r"],
    quote: '"',
    escape: '"',
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: false,
    skip_records_with_error: false,
    max_record_size: maxRecordSize,
    trim: true,
    bom: true
  });
  let header;
  let requiredLength = 0;
  const rowOptions = { defaultRegion: options.defaultRegion };
  const fail = (error) => {
    if (isGuardianSyncError(error)) return error;
    if (isCsvError(error)) return csvErrorToGuardianError(error, lastLine + 1, headerCells, options, maxRecordSize);
    return new GuardianSyncError("MALFORMED_CSV", `The file could not be parsed as CSV near line ${lastLine + 1}.`, { file: fileName, line: lastLine + 1 });
  };
  let finished = false;
  const chunks = text();
  try {
    while (!finished) {
      const next = await chunks.next();
      let error;
      if (next.done === true) {
        finished = true;
        error = parser.parse(void 0, true, push, noop);
      } else {
        error = parser.parse(Buffer2.from(next.value, "utf8"), false, push, noop);
      }
      for (const { fields, line } of batch) {
        if (isAborted(signal)) throw aborted(fileName);
        if (header === void 0) {
          header = mapHeader(fields, { columns: options.columns, line, fileName });
          requiredLength = header.columns.reduce((last, cell, index) => cell !== "" ? index + 1 : last, 0);
          yield {
            type: "header",
            header: { delimiter: preamble.delimiter, line, columns: header.columns, mapping: header.mapping, issues: header.issues }
          };
          continue;
        }
        if (fields.length < requiredLength || fields.length > header.columns.length) {
          yield {
            type: "rejected",
            line,
            issues: [
              createIssue(
                "WRONG_FIELD_COUNT",
                `The row has ${fields.length} fields but the header has ${header.columns.length}: the row is skipped. Check for an unquoted ${DELIMITER_NAMES[preamble.delimiter] ?? "delimiter"} in a value.`,
                { line }
              )
            ]
          };
          continue;
        }
        const raw = {};
        for (const [field, index] of header.indexes) raw[field] = fields[index] ?? "";
        const result = validateGuardianRow(raw, line, rowOptions);
        if (result.row !== null) yield { type: "row", row: result.row, issues: result.issues };
        else yield { type: "rejected", line, issues: result.issues };
      }
      batch.length = 0;
      if (error !== void 0) throw fail(error);
    }
  } finally {
    await chunks.return(void 0);
  }
  if (header === void 0) {
    throw new GuardianSyncError("FILE_EMPTY", `${fileName ?? "The file"} has no header line: export it again with its header.`, { file: fileName });
  }
}
var DEFAULT_MAX_RECORD_SIZE, DELIMITER_NAMES;
var init_parse_guardian_file = __esm({
  "src/parse/parse-guardian-file.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_issue();
    init_normalize_phone();
    init_detect_delimiter();
    init_header_mapping();
    init_validate_row();
    DEFAULT_MAX_RECORD_SIZE = 1e6;
    DELIMITER_NAMES = { ",": "comma", ";": "semicolon", "	": "tab" };
  }
});

// src/oneroster/oneroster-files.ts
function createOneRosterFiles(entries) {
  const byKey = /* @__PURE__ */ new Map();
  const names = [];
  for (const [name, bytes] of entries) {
    const key = oneRosterFileKey(name);
    if (byKey.has(key)) throw new TypeError(`Two files are named ${name} (names are compared case-insensitively).`);
    byKey.set(key, bytes);
    names.push(name);
  }
  Object.freeze(names);
  return {
    get: (name) => byKey.get(oneRosterFileKey(name)),
    names
  };
}
function hasOneRosterFile(files, name) {
  return files.get(name) !== void 0;
}
function findGuardiansCsv(files) {
  if (hasOneRosterFile(files, ONEROSTER_FILE_NAMES.users)) return void 0;
  const name = files.names.find((n) => oneRosterFileKey(n) === GUARDIANS_FILE_NAME);
  if (name === void 0) return void 0;
  const bytes = files.get(name);
  return bytes === void 0 ? void 0 : { name, bytes };
}
function oneRosterFileKey(name) {
  return name.trim().toLowerCase();
}
var ONEROSTER_FILE_NAMES, GUARDIANS_FILE_NAME;
var init_oneroster_files = __esm({
  "src/oneroster/oneroster-files.ts"() {
    "use strict";
    ONEROSTER_FILE_NAMES = {
      users: "users.csv",
      roles: "roles.csv",
      orgs: "orgs.csv",
      manifest: "manifest.csv"
    };
    GUARDIANS_FILE_NAME = "guardians.csv";
  }
});

// src/oneroster/read-zip-archive.ts
import yauzl from "yauzl";
function isZipBytes(bytes) {
  return bytes.length >= 4 && bytes[0] === 80 && bytes[1] === 75 && bytes[2] === 3 && bytes[3] === 4;
}
async function readZipArchive(bytes, options) {
  const { fileName } = options;
  const maxEntries = options.limits?.maxEntries ?? DEFAULT_ARCHIVE_LIMITS.maxEntries;
  const maxTotalBytes = options.limits?.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
  const maxRatio = options.limits?.maxCompressionRatio ?? DEFAULT_ARCHIVE_LIMITS.maxCompressionRatio;
  const unsafe = (why) => new GuardianSyncError("UNSAFE_ARCHIVE", `${fileName} is refused: ${why}. Send a plain ZIP with the CSV files at its top level.`, { file: fileName });
  let zip;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      // Names are decoded and checked below, so that the refusal names the entry and the rule.
      decodeStrings: false,
      validateEntrySizes: true
    });
  } catch {
    throw unsafe("it cannot be read as a ZIP archive (damaged or not a ZIP)");
  }
  try {
    if (zip.entryCount > maxEntries) throw unsafe(`it has ${zip.entryCount} entries, more than the limit of ${maxEntries}`);
    const found = [];
    let total = 0;
    let entries;
    try {
      entries = zip.eachEntry();
    } catch {
      throw unsafe("its entries cannot be listed");
    }
    for (; ; ) {
      let next;
      try {
        next = await entries.next();
      } catch {
        throw unsafe("its directory is damaged");
      }
      if (next.done === true) break;
      const entry = next.value;
      const path = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const problem = pathProblem(path);
      if (problem !== null) throw unsafe(`entry ${JSON.stringify(safeName(path))} ${problem}`);
      if (path.endsWith("/")) continue;
      if (path.startsWith("__MACOSX/") || baseName(path).startsWith("._")) continue;
      if (NESTED_ARCHIVE_NAME.test(path)) throw unsafe(`entry ${JSON.stringify(safeName(path))} is an archive inside the archive`);
      if ((entry.externalFileAttributes >>> 16 & S_IFMT) === S_IFLNK) throw unsafe(`entry ${JSON.stringify(safeName(path))} is a symbolic link`);
      if (entry.isEncrypted()) throw unsafe(`entry ${JSON.stringify(safeName(path))} is encrypted`);
      if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
        throw unsafe(`entry ${JSON.stringify(safeName(path))} uses compression method ${entry.compressionMethod}, not deflate`);
      }
      if (total + entry.uncompressedSize > maxTotalBytes) throw unsafe(`it inflates to more than ${maxTotalBytes} bytes`);
      const allowed = Math.max(entry.compressedSize * maxRatio, RATIO_FREE_BYTES);
      if (entry.uncompressedSize > allowed) throw unsafe(`entry ${JSON.stringify(safeName(path))} has a compression ratio above ${maxRatio}:1 (a zip bomb)`);
      const data = await inflateEntry(zip, entry, [
        { limit: allowed, error: () => unsafe(`entry ${JSON.stringify(safeName(path))} has a compression ratio above ${maxRatio}:1 (a zip bomb)`) },
        { limit: maxTotalBytes - total, error: () => unsafe(`it inflates to more than ${maxTotalBytes} bytes`) }
      ], () => unsafe(`entry ${JSON.stringify(safeName(path))} is damaged or its sizes are false`));
      total += data.length;
      if (isZipBytes(data)) throw unsafe(`entry ${JSON.stringify(safeName(path))} is an archive inside the archive`);
      found.push({ path, bytes: data });
    }
    return toFileSet(found, unsafe);
  } finally {
    zip.close();
  }
}
function pathProblem(path) {
  if (path.includes("\0")) return "has a NUL character in its name";
  if (path.startsWith("/")) return "has an absolute path";
  if (/^[A-Za-z]:/.test(path)) return "has a drive letter in its path";
  if (path.split("/").some((segment) => segment === "..")) return "climbs out of the archive (..)";
  return null;
}
function inflateEntry(zip, entry, limits, damaged) {
  return new Promise((resolve2, reject) => {
    zip.openReadStream(entry, (openError, stream) => {
      if (openError !== null) {
        reject(damaged());
        return;
      }
      const chunks = [];
      let size2 = 0;
      let settled = false;
      const fail = (error) => {
        if (settled) return;
        settled = true;
        stream.destroy();
        reject(error);
      };
      stream.on("data", (chunk) => {
        size2 += chunk.length;
        const passed = limits.find((l) => size2 > l.limit);
        if (passed !== void 0) {
          fail(passed.error());
          return;
        }
        chunks.push(chunk);
      });
      stream.on("error", () => fail(damaged()));
      stream.on("end", () => {
        if (settled) return;
        settled = true;
        resolve2(new Uint8Array(Buffer.concat(chunks, size2)));
      });
    });
  });
}
function toFileSet(found, unsafe) {
  const tops = new Set(found.map((f) => f.path.includes("/") ? f.path.slice(0, f.path.indexOf("/")) : ""));
  const [onlyTop] = tops;
  const strip = tops.size === 1 && onlyTop !== void 0 && onlyTop !== "" ? onlyTop.length + 1 : 0;
  const seen = /* @__PURE__ */ new Set();
  const entries = [];
  for (const f of found) {
    const name = f.path.slice(strip);
    const key = oneRosterFileKey(name);
    if (seen.has(key)) throw unsafe(`it holds two entries named ${JSON.stringify(safeName(name))}`);
    seen.add(key);
    entries.push([name, f.bytes]);
  }
  return createOneRosterFiles(entries);
}
function baseName(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}
function safeName(path) {
  const printable = path.replace(/[\u0000-\u001f\u007f]/g, "?");
  return printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
}
var DEFAULT_ARCHIVE_LIMITS, RATIO_FREE_BYTES, STORED, DEFLATED, S_IFMT, S_IFLNK, NESTED_ARCHIVE_NAME;
var init_read_zip_archive = __esm({
  "src/oneroster/read-zip-archive.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_oneroster_files();
    DEFAULT_ARCHIVE_LIMITS = {
      maxEntries: 100,
      maxTotalBytes: 512 * 1024 * 1024,
      maxCompressionRatio: 100
    };
    RATIO_FREE_BYTES = 1024 * 1024;
    STORED = 0;
    DEFLATED = 8;
    S_IFMT = 61440;
    S_IFLNK = 40960;
    NESTED_ARCHIVE_NAME = /\.(zip|jar|7z|rar|gz|tgz|tar|bz2|xz|zst)$/i;
  }
});

// src/oneroster/open-oneroster-input.ts
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
async function openOneRosterInput(input2, options = {}) {
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
  if ("bytes" in input2) return fromBytes(input2.name, input2.bytes, options);
  if ("paths" in input2) {
    const entries = [];
    let total = 0;
    for (const path of input2.paths) {
      const size2 = await sizeOf(path);
      total += size2;
      if (total > maxTotalBytes) throw tooLarge(basename(path), maxTotalBytes);
      entries.push([basename(path), await readFile(path)]);
    }
    return createOneRosterFiles(entries);
  }
  const info = await statOrThrow(input2.path);
  if (info.isDirectory()) return fromFolder(input2.path, maxTotalBytes);
  if (info.size > maxTotalBytes) throw tooLarge(basename(input2.path), maxTotalBytes);
  return fromBytes(basename(input2.path), await readFile(input2.path), options);
}
async function fromBytes(name, bytes, options) {
  if (isZipBytes(bytes)) return readZipArchive(bytes, { fileName: name, limits: options });
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
  if (bytes.length > maxTotalBytes) throw tooLarge(name, maxTotalBytes);
  const entries = [[name, bytes]];
  if (!KNOWN_NAMES.has(name.trim().toLowerCase())) entries.push([ONEROSTER_FILE_NAMES.users, bytes]);
  return createOneRosterFiles(entries);
}
async function fromFolder(folder, maxTotalBytes) {
  const entries = [];
  let total = 0;
  const names = (await readdir(folder, { withFileTypes: true })).filter((d) => d.isFile() && d.name.toLowerCase().endsWith(".csv")).map((d) => d.name).sort();
  const seen = /* @__PURE__ */ new Set();
  for (const name of names) {
    if (seen.has(name.toLowerCase())) {
      throw new GuardianSyncError("INVALID_CONFIGURATION", `The folder holds two files named ${name} (differing only in case): keep one.`, { file: name });
    }
    seen.add(name.toLowerCase());
    const path = join(folder, name);
    total += await sizeOf(path);
    if (total > maxTotalBytes) throw tooLarge(name, maxTotalBytes);
    entries.push([name, await readFile(path)]);
  }
  return createOneRosterFiles(entries);
}
async function statOrThrow(path) {
  try {
    return await stat(path);
  } catch {
    throw new GuardianSyncError("FILE_NOT_FOUND", `${basename(path)} was not found: check the path.`, { file: basename(path) });
  }
}
async function sizeOf(path) {
  return (await statOrThrow(path)).size;
}
function tooLarge(name, limit) {
  return new GuardianSyncError("FILE_TOO_LARGE", `${name} is larger than the limit of ${limit} bytes: check the export, or raise the limit.`, { file: name });
}
var KNOWN_NAMES;
var init_open_oneroster_input = __esm({
  "src/oneroster/open-oneroster-input.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_oneroster_files();
    init_read_zip_archive();
    KNOWN_NAMES = /* @__PURE__ */ new Set([...Object.values(ONEROSTER_FILE_NAMES), GUARDIANS_FILE_NAME]);
  }
});

// src/oneroster/oneroster-roles.ts
var ONEROSTER_GUARDIAN_ROLES, ONEROSTER_STUDENT_ROLES;
var init_oneroster_roles = __esm({
  "src/oneroster/oneroster-roles.ts"() {
    "use strict";
    ONEROSTER_GUARDIAN_ROLES = /* @__PURE__ */ new Set(["parent", "guardian", "relative"]);
    ONEROSTER_STUDENT_ROLES = /* @__PURE__ */ new Set(["student"]);
  }
});

// src/oneroster/parse-oneroster-csv.ts
import { parse } from "csv-parse/sync";
function normalizeHeaderName(name) {
  return name.replace(INVISIBLE, "").trim().toLowerCase();
}
function splitMultiValue(text) {
  const out = [];
  for (const part of text.split(",")) {
    const id = part.trim();
    if (id !== "" && !out.includes(id)) out.push(id);
  }
  return out;
}
function parseOneRosterCsv(text, options) {
  const { fileName } = options;
  const buffer = Buffer.from(text, "utf8");
  let parsed;
  try {
    parsed = parse(buffer, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      max_record_size: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES
    });
  } catch (error) {
    throw malformed(error, buffer, fileName);
  }
  const lines = new LineCounter(buffer);
  let headerFields;
  let headerLine = 0;
  const records = [];
  const ragged = [];
  const issues = [];
  let recordCount = 0;
  let width = 0;
  let trimmedWidth = 0;
  for (const { record, info } of parsed) {
    const line = lines.advance(info.bytes);
    if (headerFields === void 0) {
      headerFields = record.map((h) => h.replace(INVISIBLE, "").trim());
      headerLine = line;
      width = headerFields.length;
      trimmedWidth = width;
      while (trimmedWidth > 0 && headerFields[trimmedWidth - 1] === "") trimmedWidth--;
      continue;
    }
    if (record.every((f) => f.trim() === "")) continue;
    recordCount++;
    if (record.length === width || record.length >= trimmedWidth && record.length <= width) {
      records.push({ line, fields: record });
    } else {
      ragged.push({ line, fields: record });
      const message = `${fileName} line ${line} has ${record.length} fields but the header has ${trimmedWidth}: the row is skipped (check for an unquoted comma).`;
      issues.push(createIssue("WRONG_FIELD_COUNT", message, options.issuesWithLine === true ? { line } : {}));
    }
  }
  if (headerFields === void 0 || trimmedWidth === 0) {
    throw new GuardianSyncError("FILE_EMPTY", `${fileName} is empty: it has no header line.`, { file: fileName });
  }
  const index = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  headerFields.forEach((name, i) => {
    const key = normalizeHeaderName(name);
    if (key === "") return;
    if (seen.has(key)) {
      if (options.used?.(key) === true) {
        throw new GuardianSyncError("DUPLICATE_COLUMN", `${fileName} has two columns named ${name}: remove or rename one of them.`, {
          file: fileName,
          line: headerLine,
          column: name
        });
      }
      return;
    }
    seen.add(key);
    index.set(key, i);
  });
  for (const name of options.required ?? []) {
    if (!index.has(name.toLowerCase())) {
      throw new GuardianSyncError("MISSING_REQUIRED_COLUMN", `${fileName} has no ${name} column: add it (OneRoster requires it).`, {
        file: fileName,
        line: headerLine,
        column: name
      });
    }
  }
  const header = headerFields.slice(0, trimmedWidth);
  return {
    fileName,
    header,
    headerLine,
    records,
    ragged,
    recordCount,
    issues,
    columnIndex: (name) => index.get(name.toLowerCase()),
    value: (record, name) => {
      const i = index.get(name.toLowerCase());
      return i === void 0 ? "" : (record.fields[i] ?? "").trim();
    }
  };
}
function malformed(error, buffer, fileName) {
  const details = typeof error === "object" && error !== null ? error : {};
  const code = typeof details.code === "string" ? details.code : "";
  let line;
  if (typeof details.bytes === "number") line = new LineCounter(buffer).lineAt(details.bytes);
  else if (typeof details.lines === "number") line = details.lines;
  const where2 = line !== void 0 ? ` near line ${line}` : "";
  const what = code === "CSV_QUOTE_NOT_CLOSED" ? "a quoted field is never closed" : code === "CSV_MAX_RECORD_SIZE" ? "a record is larger than the limit (usually an unclosed quote)" : code === "CSV_INVALID_CLOSING_QUOTE" || code === "INVALID_OPENING_QUOTE" ? "a double quote is misplaced" : "the CSV cannot be read";
  return new GuardianSyncError(
    "MALFORMED_CSV",
    `${fileName} is not valid CSV${where2}: ${what}. Fix the quoting there; no row of the file was used.`,
    { file: fileName, line }
  );
}
var DEFAULT_MAX_RECORD_BYTES, INVISIBLE, LF, CR, LineCounter;
var init_parse_oneroster_csv = __esm({
  "src/oneroster/parse-oneroster-csv.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_issue();
    init_invisible_characters();
    DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    INVISIBLE = INVISIBLE_CHARACTERS;
    LF = 10;
    CR = 13;
    LineCounter = class {
      constructor(bytes) {
        this.bytes = bytes;
      }
      bytes;
      pos = 0;
      line = 1;
      advance(recordEnd) {
        const b = this.bytes;
        while (this.pos < recordEnd && (b[this.pos] === LF || b[this.pos] === CR)) this.step();
        const start = this.line;
        while (this.pos < recordEnd) {
          if (b[this.pos] === LF || b[this.pos] === CR) this.step();
          else this.pos++;
        }
        return start;
      }
      /** Line number of a byte offset (for errors, after the records before it were counted or not). */
      lineAt(offset) {
        let line = 1;
        for (let i = 0; i < offset && i < this.bytes.length; i++) {
          const c = this.bytes[i];
          if (c === CR) {
            if (this.bytes[i + 1] === LF) i++;
            line++;
          } else if (c === LF) line++;
        }
        return line;
      }
      step() {
        if (this.bytes[this.pos] === CR && this.bytes[this.pos + 1] === LF) this.pos += 2;
        else this.pos++;
        this.line++;
      }
    };
  }
});

// src/oneroster/read-oneroster-table.ts
function readOneRosterTable(files, name, options = {}) {
  const bytes = files.get(name);
  if (bytes === void 0) return void 0;
  const fileName = files.names.find((n) => n.trim().toLowerCase() === name) ?? name;
  const decoded = decodeText(bytes, options.encoding !== void 0 ? { encoding: options.encoding, fileName } : { fileName });
  const table = parseOneRosterCsv(decoded.text, { ...options, fileName });
  return { ...table, encoding: decoded.encoding, encodingGuessed: decoded.guessed, issues: [...decoded.issues, ...table.issues] };
}
var init_read_oneroster_table = __esm({
  "src/oneroster/read-oneroster-table.ts"() {
    "use strict";
    init_decode_text();
    init_parse_oneroster_csv();
  }
});

// src/oneroster/read-oneroster-manifest.ts
function readOneRosterManifest(files, options = {}) {
  const properties = /* @__PURE__ */ new Map();
  const table = readOneRosterTable(files, ONEROSTER_FILE_NAMES.manifest, {
    encoding: options.encoding,
    required: ["propertyName", "value"]
  });
  if (table !== void 0) {
    for (const record of table.records) {
      const key = table.value(record, "propertyName").toLowerCase();
      if (key !== "" && !properties.has(key)) properties.set(key, table.value(record, "value"));
    }
  }
  const declared = properties.get("oneroster.version") ?? "";
  const version = declared.startsWith("1.2") || files.get(ONEROSTER_FILE_NAMES.roles) !== void 0 ? "1.2" : "1.1";
  const mode = (properties.get("file.users") ?? "").toLowerCase() === "delta" ? "delta" : "full";
  return { version, mode, properties };
}
var init_read_oneroster_manifest = __esm({
  "src/oneroster/read-oneroster-manifest.ts"() {
    "use strict";
    init_oneroster_files();
    init_read_oneroster_table();
  }
});

// src/oneroster/read-oneroster-users.ts
function readOneRosterUsers(files, options = {}) {
  const manifest = readOneRosterManifest(files, options);
  const rolesFile = files.get(ONEROSTER_FILE_NAMES.roles) !== void 0;
  const table = readOneRosterTable(files, ONEROSTER_FILE_NAMES.users, {
    encoding: options.encoding,
    // Without roles.csv the role can only come from users.csv (1.1, or a 1.2 export that kept it).
    required: rolesFile ? ["sourcedId", "givenName", "familyName"] : ["sourcedId", "role", "givenName", "familyName"],
    used: (name) => USED_USER_COLUMNS.has(name) || isExtension(name, "lang") || isExtension(name, "relation"),
    issuesWithLine: true
  });
  if (table === void 0) {
    const found = files.names.length > 0 ? ` (found: ${files.names.slice(0, 10).join(", ")})` : "";
    throw new GuardianSyncError("FILE_NOT_FOUND", `The OneRoster set has no users.csv${found}: export users.csv from the SIS.`, {
      file: ONEROSTER_FILE_NAMES.users
    });
  }
  const issues = [...table.issues];
  const languageColumn = extensionColumn(table, "lang");
  const relationColumn = extensionColumn(table, "relation");
  const drafts = /* @__PURE__ */ new Map();
  const order = [];
  for (const record of table.records) {
    const sourcedId = table.value(record, "sourcedId");
    if (sourcedId === "") {
      issues.push(createIssue("MISSING_VALUE", `users.csv line ${record.line} has no sourcedId: the user is skipped.`, { line: record.line, column: "sourcedId" }));
      continue;
    }
    const status = readStatus(table.value(record, "status"));
    const roleName = table.value(record, "role").toLowerCase();
    const role = roleName !== "" ? { role: roleName, status, orgSourcedId: null, roleType: null } : void 0;
    const orgs = splitMultiValue(table.value(record, "orgSourcedIds"));
    const primaryOrg = table.value(record, "primaryOrgSourcedId");
    const existing = drafts.get(sourcedId);
    if (existing !== void 0) {
      if (role !== void 0) existing.roles.push(role);
      addAll(existing.orgSourcedIds, orgs);
      addAll(existing.agentSourcedIds, splitMultiValue(table.value(record, "agentSourcedIds")));
      if (status === "active") existing.status = "active";
      continue;
    }
    const draft = {
      line: record.line,
      sourcedId,
      status,
      roles: role !== void 0 ? [role] : [],
      orgSourcedIds: primaryOrg !== "" && !orgs.includes(primaryOrg) ? [primaryOrg, ...orgs] : orgs,
      agentSourcedIds: splitMultiValue(table.value(record, "agentSourcedIds")),
      givenName: table.value(record, "givenName"),
      familyName: table.value(record, "familyName"),
      identifier: table.value(record, "identifier"),
      email: table.value(record, "email"),
      sms: table.value(record, "sms"),
      phone: table.value(record, "phone"),
      language: languageColumn !== void 0 ? table.value(record, languageColumn) : "",
      relationship: relationColumn !== void 0 ? table.value(record, relationColumn) : ""
    };
    drafts.set(sourcedId, draft);
    order.push(draft);
  }
  const unreadableIds = /* @__PURE__ */ new Set();
  const idIndex = table.columnIndex("sourcedId");
  for (const record of table.ragged) {
    const id = idIndex !== void 0 ? (record.fields[idIndex] ?? "").trim() : "";
    if (id !== "" && !drafts.has(id)) unreadableIds.add(id);
  }
  if (rolesFile) issues.push(...readRoles(files, drafts, options));
  const users = order;
  return {
    version: manifest.version,
    mode: manifest.mode,
    users,
    byId: drafts,
    unreadableIds,
    ragged: table.ragged,
    usersFile: {
      name: table.fileName,
      encoding: table.encoding,
      encodingGuessed: table.encodingGuessed,
      rows: table.recordCount,
      header: table.header,
      languageColumn,
      relationshipColumn: relationColumn
    },
    issues
  };
}
function hasActiveRole(user, roles) {
  return user.roles.some((r) => r.status === "active" && roles.has(r.role));
}
function hasOnlyDeletedRole(user, roles) {
  return !hasActiveRole(user, roles) && user.roles.some((r) => r.status === "tobedeleted" && roles.has(r.role));
}
function readRoles(files, drafts, options) {
  const table = readOneRosterTable(files, ONEROSTER_FILE_NAMES.roles, {
    encoding: options.encoding,
    required: ["userSourcedId", "role"],
    used: (name) => USED_ROLE_COLUMNS.has(name)
  });
  if (table === void 0) return [];
  const issues = [...table.issues];
  for (const record of table.records) {
    const userId = table.value(record, "userSourcedId");
    const role = table.value(record, "role").toLowerCase();
    if (userId === "" || role === "") continue;
    const user = drafts.get(userId);
    if (user === void 0) {
      issues.push(
        createIssue("DANGLING_REFERENCE", `roles.csv line ${record.line}: user ${userId} is not in users.csv; the role is ignored.`, { column: "userSourcedId" })
      );
      continue;
    }
    const org = table.value(record, "orgSourcedId");
    const roleType = table.value(record, "roleType").toLowerCase();
    user.roles.push({
      role,
      status: readStatus(table.value(record, "status")),
      orgSourcedId: org !== "" ? org : null,
      roleType: roleType === "primary" || roleType === "secondary" ? roleType : null
    });
    if (org !== "") addAll(user.orgSourcedIds, [org]);
  }
  for (const user of drafts.values()) {
    if (user.roles.some((r) => r.roleType === "primary")) {
      const primaryOrgs = user.roles.filter((r) => r.roleType === "primary" && r.orgSourcedId !== null).map((r) => r.orgSourcedId);
      user.orgSourcedIds = [...primaryOrgs, ...user.orgSourcedIds.filter((o) => !primaryOrgs.includes(o))];
    }
  }
  return issues;
}
function readStatus(text) {
  return text.toLowerCase() === "tobedeleted" ? "tobedeleted" : "active";
}
function addAll(target, values) {
  for (const v of values) if (!target.includes(v)) target.push(v);
}
function isExtension(normalizedName, word) {
  return normalizedName.startsWith("metadata.") && normalizedName.includes(word);
}
function extensionColumn(table, word) {
  return table.header.find((h) => isExtension(normalizeHeaderName(h), word));
}
var USED_USER_COLUMNS, USED_ROLE_COLUMNS;
var init_read_oneroster_users = __esm({
  "src/oneroster/read-oneroster-users.ts"() {
    "use strict";
    init_guardian_sync_error();
    init_issue();
    init_oneroster_files();
    init_read_oneroster_manifest();
    init_read_oneroster_table();
    init_parse_oneroster_csv();
    USED_USER_COLUMNS = /* @__PURE__ */ new Set([
      "sourcedid",
      "status",
      "role",
      "orgsourcedids",
      "primaryorgsourcedid",
      "agentsourcedids",
      "givenname",
      "familyname",
      "identifier",
      "email",
      "sms",
      "phone"
    ]);
    USED_ROLE_COLUMNS = new Set(["userSourcedId", "role", "status", "orgSourcedId", "roleType"].map((c) => c.toLowerCase()));
  }
});

// src/oneroster/read-oneroster-guardians.ts
function readOneRosterGuardians(files, options = {}) {
  const set = readOneRosterUsers(files, { encoding: options.encoding });
  const delta = set.mode === "delta";
  const issues = [...set.issues];
  const rejectedByLine = /* @__PURE__ */ new Map();
  for (const record of set.ragged) {
    rejectedByLine.set(record.line, issues.filter((i) => i.line === record.line && i.code === "WRONG_FIELD_COUNT"));
  }
  const isStudent = (u) => hasActiveRole(u, ONEROSTER_STUDENT_ROLES) || hasOnlyDeletedRole(u, ONEROSTER_STUDENT_ROLES);
  const isGuardian = (u) => hasActiveRole(u, ONEROSTER_GUARDIAN_ROLES) || hasOnlyDeletedRole(u, ONEROSTER_GUARDIAN_ROLES);
  const isGone = (u, roles) => u.status === "tobedeleted" || !hasActiveRole(u, roles);
  const studentsByGuardian = /* @__PURE__ */ new Map();
  for (const user of set.users) {
    if (!isStudent(user)) continue;
    if (!delta && isGone(user, ONEROSTER_STUDENT_ROLES)) continue;
    for (const agentId of user.agentSourcedIds) {
      const agent = set.byId.get(agentId);
      if (agent === void 0) {
        if (!delta && !set.unreadableIds.has(agentId)) issues.push(dangling(user, agentId, "guardian"));
        continue;
      }
      if (!isGuardian(agent)) continue;
      const list = studentsByGuardian.get(agentId);
      if (list === void 0) studentsByGuardian.set(agentId, [user]);
      else if (!list.includes(user)) list.push(user);
    }
  }
  const rows = [];
  for (const guardian of set.users) {
    if (!isGuardian(guardian)) continue;
    const guardianGone = isGone(guardian, ONEROSTER_GUARDIAN_ROLES);
    if (guardianGone && !delta) continue;
    const pairs = /* @__PURE__ */ new Map();
    const rowIssues = [];
    for (const agentId of guardian.agentSourcedIds) {
      const student = set.byId.get(agentId);
      if (student === void 0) {
        if (set.unreadableIds.has(agentId)) continue;
        if (delta && options.studentIdField !== "identifier") {
          pairs.set(agentId, { studentId: agentId, deleted: guardianGone });
        } else {
          rowIssues.push(dangling(guardian, agentId, "student"));
        }
        continue;
      }
      if (!isStudent(student)) continue;
      const studentGone = isGone(student, ONEROSTER_STUDENT_ROLES);
      if (studentGone && !delta) continue;
      pairs.set(student.sourcedId, { studentId: studentIdOf(student, options), deleted: guardianGone || studentGone });
    }
    for (const student of studentsByGuardian.get(guardian.sourcedId) ?? []) {
      if (pairs.has(student.sourcedId)) continue;
      const studentGone = isGone(student, ONEROSTER_STUDENT_ROLES);
      pairs.set(student.sourcedId, { studentId: studentIdOf(student, options), deleted: guardianGone || studentGone });
    }
    if (pairs.size === 0 && guardianGone) {
      rowIssues.push(
        createIssue(
          "MISSING_VALUE",
          `users.csv line ${guardian.line}: guardian ${guardian.sourcedId} is to be deleted but lists no students, so its links cannot be removed from this delta file; the next bulk file removes them.`,
          { line: guardian.line, column: "agentSourcedIds", severity: "warning" }
        )
      );
    }
    let failed = false;
    for (const pair of pairs.values()) {
      const raw = {
        studentSisId: pair.studentId,
        guardianSisId: guardian.sourcedId,
        firstName: guardian.givenName,
        lastName: guardian.familyName,
        email: guardian.email,
        mobilePhone: guardian.sms,
        homePhone: guardian.phone,
        language: guardian.language,
        relationship: guardian.relationship !== "" ? guardian.relationship : guardianRoleName(guardian)
      };
      const result = validateGuardianRow(raw, guardian.line, { defaultRegion: options.defaultRegion });
      if (pair.deleted) {
        const idIssues = result.issues.filter((i) => i.column === "studentSisId" || i.column === "guardianSisId");
        addUnique(rowIssues, idIssues.map(toOneRosterColumn));
        if (result.row !== null) rows.push({ ...result.row, delete: true });
        else if (idIssues.length === 0) rows.push(deleteRow(guardian, pair.studentId));
        else failed = true;
        continue;
      }
      addUnique(rowIssues, result.issues.map(toOneRosterColumn));
      if (result.row !== null) rows.push(result.row);
      else failed = true;
    }
    issues.push(...rowIssues);
    if (failed) rejectedByLine.set(guardian.line, rowIssues);
  }
  const rejected = [...rejectedByLine.entries()].sort(([a], [b]) => a - b).map(([line, lineIssues]) => ({ line, issues: lineIssues }));
  return {
    rows,
    rejected,
    issues,
    mode: set.mode,
    version: set.version,
    header: headerMapping(set.usersFile),
    file: { name: "users.csv", encoding: set.usersFile.encoding, encodingGuessed: set.usersFile.encodingGuessed, delimiter: ",", rows: set.usersFile.rows }
  };
}
function headerMapping(file) {
  const found = (name) => file.header.find((h) => h.toLowerCase() === name.toLowerCase());
  const mapping = {};
  for (const [field, column] of HEADER_SOURCES) {
    const header = found(column);
    if (header !== void 0) mapping[field] = header;
  }
  if (file.languageColumn !== void 0) mapping.language = file.languageColumn;
  const relationship = file.relationshipColumn ?? found("role");
  if (relationship !== void 0) mapping.relationship = relationship;
  return mapping;
}
function studentIdOf(student, options) {
  return options.studentIdField === "identifier" ? student.identifier : student.sourcedId;
}
function guardianRoleName(user) {
  return user.roles.find((r) => ONEROSTER_GUARDIAN_ROLES.has(r.role))?.role ?? "";
}
function dangling(user, id, expected) {
  return createIssue(
    "DANGLING_REFERENCE",
    `users.csv line ${user.line}: agentSourcedIds names ${id}, which is in no users.csv row; that ${expected} link is ignored.`,
    { line: user.line, column: "agentSourcedIds" }
  );
}
function toOneRosterColumn(issue) {
  const canonical = issue.column;
  const column = canonical !== null ? ONEROSTER_COLUMN[canonical] : void 0;
  if (canonical === null || column === void 0) return issue;
  const message = issue.message.startsWith(`${canonical} `) ? `${column}${issue.message.slice(canonical.length)}` : issue.message;
  return { ...issue, column, message };
}
function addUnique(target, found) {
  for (const issue of found) {
    if (!target.some((t) => t.code === issue.code && t.column === issue.column && t.message === issue.message)) target.push(issue);
  }
}
function deleteRow(guardian, studentSisId) {
  return {
    line: guardian.line,
    studentSisId,
    guardianSisId: guardian.sourcedId,
    firstName: "",
    lastName: "",
    email: null,
    mobilePhone: null,
    homePhone: null,
    language: null,
    relationship: null,
    delete: true
  };
}
var ONEROSTER_COLUMN, HEADER_SOURCES;
var init_read_oneroster_guardians = __esm({
  "src/oneroster/read-oneroster-guardians.ts"() {
    "use strict";
    init_issue();
    init_validate_row();
    init_oneroster_roles();
    init_read_oneroster_users();
    ONEROSTER_COLUMN = {
      guardianSisId: "sourcedId",
      studentSisId: "agentSourcedIds",
      firstName: "givenName",
      lastName: "familyName",
      mobilePhone: "sms",
      homePhone: "phone"
    };
    HEADER_SOURCES = [
      ["studentSisId", "agentSourcedIds"],
      ["guardianSisId", "sourcedId"],
      ["firstName", "givenName"],
      ["lastName", "familyName"],
      ["email", "email"],
      ["mobilePhone", "sms"],
      ["homePhone", "phone"]
    ];
  }
});

// src/sync/read-oneroster-input.ts
var read_oneroster_input_exports = {};
__export(read_oneroster_input_exports, {
  readOneRosterInput: () => readOneRosterInput
});
async function readOneRosterInput(bytes, options) {
  const files = await openOneRosterInput({ name: options.fileName, bytes });
  const guardiansCsv = findGuardiansCsv(files);
  if (guardiansCsv !== void 0) {
    return readGuardiansCsv(guardiansCsv.bytes, { ...options, format: "guardians", fileName: guardiansCsv.name });
  }
  const result = readOneRosterGuardians(files, { defaultRegion: options.defaultRegion, encoding: options.encoding });
  return {
    encoding: result.file.encoding,
    encodingGuessed: result.file.encodingGuessed,
    delimiter: result.file.delimiter,
    records: result.file.rows,
    header: result.header,
    rows: result.rows,
    rejected: result.rejected,
    issues: result.issues,
    mode: result.mode
  };
}
var init_read_oneroster_input = __esm({
  "src/sync/read-oneroster-input.ts"() {
    "use strict";
    init_oneroster_files();
    init_open_oneroster_input();
    init_read_oneroster_guardians();
    init_read_guardian_input();
  }
});

// src/sync/read-guardian-input.ts
async function readGuardianInput(bytes, options) {
  if (options.format === "oneroster") {
    const { readOneRosterInput: readOneRosterInput2 } = await Promise.resolve().then(() => (init_read_oneroster_input(), read_oneroster_input_exports));
    return readOneRosterInput2(bytes, options);
  }
  return readGuardiansCsv(bytes, options);
}
async function readGuardiansCsv(bytes, options) {
  const detection = detectEncoding(bytes, {
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding,
    fileName: options.fileName
  });
  const issues = [...detection.issues];
  const rows = [];
  const rejected = [];
  let header = {};
  let delimiter = ",";
  let records = 0;
  const events = parseGuardianFile(decodeChunks(bytes, detection), {
    columns: options.columns,
    defaultRegion: options.defaultRegion,
    fileName: options.fileName,
    signal: options.signal
  });
  for await (const event of events) {
    switch (event.type) {
      case "header":
        header = event.header.mapping;
        delimiter = event.header.delimiter;
        issues.push(...event.header.issues);
        break;
      case "row":
        records++;
        rows.push(event.row);
        if (event.issues.length > 0) issues.push(...event.issues);
        break;
      case "rejected":
        records++;
        rejected.push({ line: event.line, issues: event.issues });
        issues.push(...event.issues);
        break;
    }
    if (options.onRecords !== void 0 && records % PROGRESS_EVERY === 0 && records > 0) options.onRecords(records);
  }
  return {
    encoding: detection.encoding,
    encodingGuessed: detection.guessed,
    delimiter,
    records,
    header,
    rows,
    rejected,
    issues,
    mode: "full"
  };
}
function noValidRowsMessage(input2, fileName, format) {
  if (input2.rows.length > 0) return null;
  if (format === "oneroster" && input2.rejected.length === 0) {
    return `${fileName} lists no guardian linked to a student (users with the role parent, guardian or relative): nothing to sync.`;
  }
  return input2.records === 0 ? `${fileName} has a header but no data rows: nothing to sync.` : `None of the ${input2.records} rows of ${fileName} could be used: fix the row errors listed.`;
}
function assertHasValidRows(input2, fileName, format) {
  const message = noValidRowsMessage(input2, fileName, format);
  if (message !== null) throw new GuardianSyncError("NO_VALID_ROWS", message, { file: fileName });
}
var PROGRESS_EVERY;
var init_read_guardian_input = __esm({
  "src/sync/read-guardian-input.ts"() {
    "use strict";
    init_detect_encoding();
    init_decode_text();
    init_guardian_sync_error();
    init_parse_guardian_file();
    PROGRESS_EVERY = 5e3;
  }
});

// .bench/scratch/prof-f.ts
import { readFileSync as readFileSync2, writeFileSync as writeFileSync2 } from "node:fs";
import { Session } from "node:inspector/promises";

// src/plan/build-plan.ts
init_issue();
import { randomUUID } from "node:crypto";

// src/resolve/group-rows-into-guardians.ts
init_issue();

// src/resolve/contact-key.ts
function nameKey(name) {
  return (NON_ASCII.test(name) ? name.normalize("NFC") : name).toLowerCase();
}
function emailKey(email) {
  if (email === null || email === void 0) return null;
  const trimmed = email.trim();
  if (trimmed === "") return null;
  return (NON_ASCII.test(trimmed) ? trimmed.normalize("NFC") : trimmed).toLowerCase();
}
var NON_ASCII = /[^\u0000-\u007f]/u;
function mobileKey(mobile) {
  if (mobile === null || mobile === void 0) return null;
  const trimmed = mobile.trim();
  return trimmed === "" ? null : trimmed;
}
function contactKey(fields) {
  const email = emailKey(fields.email);
  const mobile = mobileKey(fields.mobilePhone);
  return keyOf(nameKey(fields.firstName), nameKey(fields.lastName), email, mobile);
}
function keyOf(first2, last, email, mobile) {
  if (email === null && mobile === null) return null;
  const e = email ?? "";
  const m = mobile ?? "";
  return `${first2.length}:${first2}${last.length}:${last}${e.length}:${e}${m.length}:${m}`;
}

// src/resolve/group-rows-into-guardians.ts
var COMPARED_FIELDS = ["firstName", "lastName", "email", "mobilePhone", "homePhone"];
var Draft = class {
  constructor(first2, sisIds, num) {
    this.first = first2;
    this.sisIds = sisIds;
    this.num = num;
    this.rows = [first2];
    this.firstLine = first2.line;
    this.email = emailKey(first2.email);
    this.mobile = mobileKey(first2.mobilePhone);
  }
  first;
  sisIds;
  num;
  index = -1;
  rows;
  firstLine;
  /** Lines that disagree with `first`, and on which fields (null while none do). */
  conflicts = null;
  /** The person this draft was merged into (§1.4), if any. */
  mergedInto = null;
  /** The logins of the first row, folded: the key is found by the email, or the mobile when the email is blank. */
  email;
  mobile;
  cachedKey;
  cachedFields;
  get key() {
    if (this.cachedKey === void 0) this.cachedKey = contactKey(this.first);
    return this.cachedKey;
  }
  get fields() {
    return this.cachedFields ??= fieldsOf(this.first);
  }
  get fieldsLine() {
    return this.first.line;
  }
  /** Equal contact keys (§1.4), compared field by field. */
  sameKeyAs(other) {
    if (this.email === null && this.mobile === null) return false;
    return this.email === other.email && this.mobile === other.mobile && sameName(this.first.firstName, other.first.firstName) && sameName(this.first.lastName, other.first.lastName);
  }
};
function sameName(a, b) {
  return a === b || nameKey(a) === nameKey(b);
}
function inLineOrder(rows) {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1].line > rows[i].line) return [...rows].sort((a, b) => a.line - b.line);
  }
  return rows;
}
function groupRows(rows) {
  const ordered = inLineOrder(rows);
  const byId = /* @__PURE__ */ new Map();
  const drafts = [];
  const draftOfRow = new Int32Array(ordered.length);
  const idless = [];
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i];
    const id = row.guardianSisId;
    if (id === null || id === "") {
      idless.push(i);
      continue;
    }
    const draft = byId.get(id);
    if (draft === void 0) {
      const created = new Draft(row, [id], drafts.length);
      draftOfRow[i] = created.num;
      drafts.push(created);
      byId.set(id, created);
      continue;
    }
    draftOfRow[i] = draft.num;
    draft.rows.push(row);
    const differing = differingFields(draft.first, row);
    if (differing !== null) {
      draft.conflicts ??= { lines: [], fields: /* @__PURE__ */ new Set() };
      draft.conflicts.lines.push(row.line);
      for (const field of differing) draft.conflicts.fields.add(field);
    }
  }
  const issues = [];
  for (const draft of drafts) {
    if (draft.conflicts !== null) issues.push(conflictIssue(draft));
  }
  const people = [];
  const byKey = new KeyedDrafts();
  for (const draft of drafts) {
    const owner = byKey.find(draft);
    if (owner === void 0) {
      people.push(draft);
      byKey.add(draft);
      continue;
    }
    issues.push(
      createIssue(
        "DUPLICATE_IDENTITY",
        `Guardian ids "${owner.sisIds[0] ?? ""}" (line ${owner.first.line}) and "${draft.sisIds[0] ?? ""}" (line ${draft.first.line}) have the same name, email and mobile phone: they are treated as one person with one account, holding both ids.`,
        { line: draft.first.line, column: "guardianSisId", lines: [owner.first.line, draft.first.line] }
      )
    );
    owner.sisIds.push(...draft.sisIds);
    owner.rows = mergeByLine(owner.rows, draft.rows);
    draft.mergedInto = owner;
  }
  const firstIdless = people.length;
  for (const i of idless) {
    const row = ordered[i];
    const draft = new Draft(row, [], drafts.length);
    const owner = byKey.find(draft);
    if (owner === void 0) {
      draftOfRow[i] = draft.num;
      drafts.push(draft);
      people.push(draft);
      byKey.add(draft);
      continue;
    }
    draftOfRow[i] = owner.num;
    if (owner.rows[owner.rows.length - 1].line < row.line) owner.rows.push(row);
    else owner.rows = mergeByLine(owner.rows, [row]);
    if (row.line < owner.firstLine) owner.firstLine = row.line;
  }
  const guardians = inFirstLineOrder(people, firstIdless);
  for (let index = 0; index < guardians.length; index++) guardians[index].index = index;
  const guardianOfRow = draftOfRow;
  for (let i = 0; i < guardianOfRow.length; i++) {
    let d = drafts[guardianOfRow[i]];
    while (d.mergedInto !== null) d = d.mergedInto;
    guardianOfRow[i] = d.index;
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    guardians,
    issues,
    ordered,
    guardianOfRow,
    guardianIndexOfId: (sisId) => {
      let d = byId.get(sisId);
      if (d === void 0) return void 0;
      while (d.mergedInto !== null) d = d.mergedInto;
      return d.index;
    }
  };
}
var KeyedDrafts = class {
  byEmail = /* @__PURE__ */ new Map();
  byMobile = /* @__PURE__ */ new Map();
  find(draft) {
    if (draft.email === null && draft.mobile === null) return void 0;
    const found = draft.email !== null ? this.byEmail.get(draft.email) : this.byMobile.get(draft.mobile);
    if (found === void 0) return void 0;
    if (!Array.isArray(found)) return found.sameKeyAs(draft) ? found : void 0;
    return found.find((d) => d.sameKeyAs(draft));
  }
  add(draft) {
    if (draft.email === null && draft.mobile === null) return;
    const map = draft.email !== null ? this.byEmail : this.byMobile;
    const login = draft.email ?? draft.mobile;
    const found = map.get(login);
    if (found === void 0) map.set(login, draft);
    else if (Array.isArray(found)) found.push(draft);
    else map.set(login, [found, draft]);
  }
};
function inFirstLineOrder(people, split) {
  const sortedRun = (from, to) => {
    for (let i2 = from + 1; i2 < to; i2++) if (people[i2 - 1].firstLine > people[i2].firstLine) return false;
    return true;
  };
  if (!sortedRun(0, split) || !sortedRun(split, people.length)) return [...people].sort((a, b) => a.firstLine - b.firstLine);
  const out = new Array(people.length);
  let i = 0;
  let j = split;
  let k = 0;
  while (i < split && j < people.length) out[k++] = people[i].firstLine <= people[j].firstLine ? people[i++] : people[j++];
  while (i < split) out[k++] = people[i++];
  while (j < people.length) out[k++] = people[j++];
  return out;
}
function fieldsOf(row) {
  return {
    firstName: row.firstName,
    lastName: row.lastName,
    email: emailKey(row.email),
    mobilePhone: mobileKey(row.mobilePhone),
    homePhone: row.homePhone,
    language: row.language
  };
}
function differingFields(a, b) {
  let out = null;
  if (a.firstName !== b.firstName && nameKey(a.firstName) !== nameKey(b.firstName)) (out ??= []).push("firstName");
  if (a.lastName !== b.lastName && nameKey(a.lastName) !== nameKey(b.lastName)) (out ??= []).push("lastName");
  if (a.email !== b.email && emailKey(a.email) !== emailKey(b.email)) (out ??= []).push("email");
  if (a.mobilePhone !== b.mobilePhone && mobileKey(a.mobilePhone) !== mobileKey(b.mobilePhone)) (out ??= []).push("mobilePhone");
  if ((a.homePhone ?? null) !== (b.homePhone ?? null)) (out ??= []).push("homePhone");
  return out;
}
function conflictIssue(draft) {
  const conflicts = draft.conflicts;
  const fields = COMPARED_FIELDS.filter((f) => conflicts.fields.has(f));
  const lines = [draft.first.line, ...conflicts.lines];
  return createIssue(
    "CONFLICTING_GUARDIAN_ROWS",
    `Rows of guardian "${draft.sisIds[0] ?? ""}" disagree on ${fields.join(", ")} (lines ${lines.join(", ")}): the values of line ${draft.first.line} were used; every row's student is still linked.`,
    { line: conflicts.lines[0], column: fields[0] ?? null, lines }
  );
}
function mergeByLine(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i].line <= b[j].line ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

// src/resolve/roster-index.ts
var LoginIndex = class {
  constructor(accounts) {
    this.accounts = accounts;
  }
  accounts;
  accountsByEmail = /* @__PURE__ */ new Map();
  accountsByMobile = /* @__PURE__ */ new Map();
  coveredEmails = /* @__PURE__ */ new Set();
  coveredMobiles = /* @__PURE__ */ new Set();
  positions = /* @__PURE__ */ new Map();
  emails = null;
  mobiles = null;
  /** Makes sure the index holds every account with one of these logins (nulls are ignored). */
  cover(emails, mobiles) {
    const newEmails = uncovered(emails, this.coveredEmails);
    const newMobiles = uncovered(mobiles, this.coveredMobiles);
    if (newEmails === null && newMobiles === null) return;
    if (this.emails === null || this.mobiles === null) {
      this.emails = this.accounts.map((a) => emailKey(a.email));
      this.mobiles = this.accounts.map((a) => mobileKey(a.mobilePhone));
    }
    for (let pos = 0; pos < this.accounts.length; pos++) {
      const email = this.emails[pos];
      const mobile = this.mobiles[pos];
      const account = this.accounts[pos];
      if (newEmails !== null && email !== null && newEmails.has(email)) this.add(this.accountsByEmail, email, account, pos);
      if (newMobiles !== null && mobile !== null && newMobiles.has(mobile)) this.add(this.accountsByMobile, mobile, account, pos);
    }
  }
  /** Position in the snapshot's accounts of an account this index holds. */
  positionOf(account) {
    return this.positions.get(account) ?? -1;
  }
  add(map, key, account, pos) {
    this.positions.set(account, pos);
    const found = map.get(key);
    if (found === void 0) map.set(key, account);
    else if (Array.isArray(found)) found.push(account);
    else map.set(key, [found, account]);
  }
};
function uncovered(values, covered) {
  let out = null;
  for (const value of values) {
    if (value === null || covered.has(value)) continue;
    covered.add(value);
    (out ??= /* @__PURE__ */ new Set()).add(value);
  }
  return out;
}
function lookup(map, key) {
  const found = map.get(key);
  if (found === void 0) return [];
  return Array.isArray(found) ? found : [found];
}
function first(map, key) {
  const found = map.get(key);
  return Array.isArray(found) ? found[0] : found;
}
function hasContactKey(account, firstName, lastName, email, mobile) {
  if (email === null && mobile === null) return false;
  return emailKey(account.email) === email && mobileKey(account.mobilePhone) === mobile && sameName2(account.firstName, firstName) && sameName2(account.lastName, lastName);
}
function sameName2(a, b) {
  return a === b || nameKey(a) === nameKey(b);
}
function accountsWithKey(index, firstName, lastName, email, mobile) {
  const candidates = email !== null ? lookup(index.accountsByEmail, email) : mobile !== null ? lookup(index.accountsByMobile, mobile) : [];
  return candidates.filter((a) => hasContactKey(a, firstName, lastName, email, mobile));
}
function guardianRoleOf(account) {
  const roles = account.roles;
  for (let i = 0; i < roles.length; i++) if (roles[i].role === "guardian") return roles[i];
  return void 0;
}

// src/resolve/id-candidates.ts
function findIdCandidates(accounts, guardianCount, guardianOfId) {
  const single = new Int32Array(guardianCount).fill(-1);
  const more = /* @__PURE__ */ new Map();
  for (let pos = 0; pos < accounts.length; pos++) {
    const role = guardianRoleOf(accounts[pos]);
    if (role === void 0) continue;
    for (const sisId of role.sisIds) {
      const gi = guardianOfId(sisId);
      if (gi === void 0) continue;
      const held = single[gi];
      if (held === -1) single[gi] = pos;
      else if (held !== pos) {
        const list = more.get(gi);
        if (list === void 0) more.set(gi, [held, pos]);
        else if (!list.includes(pos)) list.push(pos);
      }
    }
  }
  return {
    single: (gi) => more.has(gi) ? -2 : single[gi],
    several: (gi) => more.get(gi) ?? []
  };
}

// src/resolve/match-guardians-to-accounts.ts
init_issue();
function matchGuardiansToAccounts(input2) {
  const { guardians, accounts: stored, candidates, logins } = input2;
  const isActive = input2.isActive ?? (() => true);
  const accounts = new Array(guardians.length).fill(null);
  const rules = new Array(guardians.length).fill(null);
  const taken = new Uint8Array(stored.length);
  const issues = [];
  const take = (g, pos, rule) => {
    accounts[g.index] = stored[pos];
    rules[g.index] = rule;
    taken[pos] = 1;
  };
  const byIds = (g) => {
    const single = candidates.single(g.index);
    if (single === -1) return [];
    if (single >= 0) return taken[single] === 1 ? [] : [single];
    const all = candidates.several(g.index);
    const found = [];
    for (const id of g.sisIds) {
      const holders = all.filter((pos) => guardianRoleOf(stored[pos])?.sisIds.includes(id) === true);
      holders.sort((a, b) => compare(stored[a].id, stored[b].id));
      for (const pos of holders) if (taken[pos] === 0 && !found.includes(pos)) found.push(pos);
    }
    return found;
  };
  const heldByOther = (g, account) => {
    const role = guardianRoleOf(account);
    if (role === void 0) return void 0;
    for (const id of role.sisIds) {
      if (g.sisIds.includes(id)) continue;
      const oi = input2.guardianOfId(id);
      const other = oi === void 0 ? void 0 : guardians[oi];
      if (other !== void 0 && other.key !== g.key) return other;
    }
    return void 0;
  };
  const reported = /* @__PURE__ */ new Set();
  const byKey = (g, email, mobile) => {
    const found = accountsWithKey(logins, g.fields.firstName, g.fields.lastName, email, mobile);
    for (const account of found.length < 2 ? found : [...found].sort((a, b) => compare(a.id, b.id))) {
      const other = heldByOther(g, account);
      const pos = logins.positionOf(account);
      if (other === void 0) {
        if (taken[pos] === 1) continue;
        return pos;
      }
      if (!reported.has(g.index)) {
        reported.add(g.index);
        issues.push(
          createIssue(
            "DUPLICATE_IDENTITY",
            `The guardian on line ${g.firstLine} has the same name, email and mobile phone as an existing account that belongs to the guardian id on line ${other.firstLine}, whose details differ: the two were not merged. Correct the ids or contacts in the SIS.`,
            { line: g.firstLine, column: "guardianSisId", lines: [g.firstLine, other.firstLine] }
          )
        );
      }
    }
    return void 0;
  };
  const pick = (g, test) => {
    const single = candidates.single(g.index);
    if (single === -1) return -1;
    if (single >= 0) return taken[single] === 0 && test(g, stored[single]) ? single : -1;
    for (const pos of byIds(g)) if (test(g, stored[pos])) return pos;
    return -1;
  };
  const runPasses = (list) => {
    for (const g of list) {
      if (g.sisIds.length === 0 || !hasLogin(g)) continue;
      const exact = pick(g, sameContactKey);
      if (exact !== -1) take(g, exact, "sis-id");
    }
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const sharing = pick(g, sharesLogin);
      if (sharing !== -1) take(g, sharing, "sis-id");
    }
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const any = pick(g, anyAccount);
      if (any !== -1) take(g, any, "sis-id");
    }
    const open = list.filter((g) => accounts[g.index] === null && hasLogin(g));
    if (open.length === 0) return;
    logins.cover(
      open.map((g) => g.fields.email),
      open.map((g) => g.fields.mobilePhone)
    );
    for (const g of open) {
      const found = byKey(g, g.fields.email, g.fields.mobilePhone);
      if (found !== void 0) take(g, found, "contact-key");
    }
    for (const g of open) {
      if (accounts[g.index] !== null) continue;
      const { email, mobilePhone } = g.fields;
      if (email === null || mobilePhone === null) continue;
      const found = byKey(g, null, mobilePhone) ?? byKey(g, email, null);
      if (found !== void 0) take(g, found, "contact-key");
    }
  };
  runPasses(guardians.filter((g) => isActive(g)));
  runPasses(guardians.filter((g) => !isActive(g)));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { accounts, rules, issues };
}
function sameContactKey(g, account) {
  const { firstName, lastName, email, mobilePhone } = g.fields;
  return hasContactKey(account, firstName, lastName, email, mobilePhone);
}
function hasLogin(g) {
  return g.fields.email !== null || g.fields.mobilePhone !== null;
}
function anyAccount() {
  return true;
}
function sharesLogin(g, account) {
  const { email, mobilePhone } = g.fields;
  return email !== null && emailKey(account.email) === email || mobilePhone !== null && mobileKey(account.mobilePhone) === mobilePhone;
}
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/plan/plan-account-changes.ts
init_issue();

// src/resolve/assign-credentials.ts
init_issue();
var EMAIL = 0;
var MOBILE = 1;
var FIELD_NAMES = ["email", "mobilePhone"];
var REFUSED = -1;
var NO_NODE = -1;
var UNDECIDED = -2;
var DEP_UNKNOWN = 0;
var DEP_RELEASED = 1;
var DEP_KEPT = 2;
var DEP_NODE = 3;
var LOCKED = 1;
var IGNORES_EMAIL = 2;
var IGNORES_MOBILE = 4;
var NO_LOGINS = Object.freeze([]);
var CredentialSolver = class {
  constructor(requests, index) {
    this.requests = requests;
    const n = requests.length;
    this.n = n;
    this.holders = [index.accountsByEmail, index.accountsByMobile];
    const curEmail = new Array(n);
    const curMobile = new Array(n);
    this.cur = [curEmail, curMobile];
    this.accountIds = new Array(n);
    this.flags = new Uint8Array(n);
    this.asks = [new Int32Array(n).fill(NO_NODE), new Int32Array(n).fill(NO_NODE)];
    for (let i = 0; i < n; i++) {
      if (!requests.present(i)) {
        curEmail[i] = null;
        curMobile[i] = null;
        this.accountIds[i] = null;
        continue;
      }
      const account = requests.account(i);
      this.accountIds[i] = account === null ? null : account.id;
      curEmail[i] = account === null ? null : emailKey(account.email);
      curMobile[i] = account === null ? null : mobileKey(account.mobilePhone);
      let flags = 0;
      if (requests.locked(i)) flags |= LOCKED;
      if (requests.ignores(i, "email")) flags |= IGNORES_EMAIL;
      if (requests.ignores(i, "mobilePhone")) flags |= IGNORES_MOBILE;
      this.flags[i] = flags;
      const fields = requests.guardian(i).fields;
      const askedEmail = this.noteAsk(i, EMAIL, fields.email, curEmail[i], (flags & (LOCKED | IGNORES_EMAIL)) !== 0);
      const askedMobile = this.noteAsk(i, MOBILE, fields.mobilePhone, curMobile[i], (flags & (LOCKED | IGNORES_MOBILE)) !== 0);
      if (askedEmail || askedMobile) this.asking.push(i);
    }
    this.findHolders();
    this.decideAll();
  }
  requests;
  n;
  /** The logins each request's account has now (folded), by field. */
  cur;
  /** Each request's account id (null: a new account, or no request), read with its logins so that finding holders touches no account again. */
  accountIds;
  flags;
  /** The node each request asks for, by field; NO_NODE when it asks for nothing there. */
  asks;
  /** Requests that ask for anything, in order. */
  asking = [];
  nodesByValue = [/* @__PURE__ */ new Map(), /* @__PURE__ */ new Map()];
  nodeField = [];
  nodeValue = [];
  /** Askers of each node in request order (withdrawn ones stay listed; `firstAsker` skips them). */
  nodeAskers = [];
  holders;
  /** Requests whose file value differs from their account's but who do not ask for it (locked, or ignored). */
  unasked = [null, null];
  /** Requests of the accounts that hold an asked value (several only in damaged data). */
  requestsOfHolder = /* @__PURE__ */ new Map();
  /** Nodes whose holder is a request, by that request: they depend on what it asks for. */
  dependents = /* @__PURE__ */ new Map();
  winner = new Int32Array(0);
  open = new Uint8Array(0);
  cursor = new Int32Array(0);
  depKind = new Uint8Array(0);
  depNode = new Int32Array(0);
  depHolder = new Int32Array(0);
  /** The email request `i`'s account ends with. */
  email(i) {
    const email = this.kept(i, EMAIL);
    return this.wantsNothing(i, EMAIL) && this.kept(i, MOBILE) !== null ? null : email;
  }
  /** The mobile request `i`'s account ends with (the email is settled first, as a blank email may go). */
  mobilePhone(i) {
    const mobile = this.kept(i, MOBILE);
    return this.wantsNothing(i, MOBILE) && this.email(i) !== null ? null : mobile;
  }
  /** The stored accounts whose login request `i` takes over (their updates go first). */
  after(i) {
    let out = null;
    for (let k = 0; k < 2; k++) {
      const f = k;
      const node = this.asks[f][i];
      if (node === NO_NODE || this.winner[node] !== i) continue;
      const holder = first(this.holders[f], this.nodeValue[node]);
      if (holder !== void 0) (out ??= []).push(holder.id);
    }
    return out ?? NO_LOGINS;
  }
  /** Requests that asked for anything when the assignment was made, in request order. */
  askingRequests() {
    return this.asking;
  }
  /** CREDENTIAL_IN_USE for every ask not granted, in line order (stable: request order within a line). */
  issues() {
    const issues = [];
    for (const i of this.asking) {
      for (let k = 0; k < 2; k++) {
        const f = k;
        const node = this.asks[f][i];
        if (node === NO_NODE || this.winner[node] === i) continue;
        const r = this.requests.guardian(i);
        const what = f === EMAIL ? "email address" : "mobile phone";
        const kept = this.requests.account(i) === null ? "the account was created without it" : "the account keeps its current one";
        issues.push(
          createIssue("CREDENTIAL_IN_USE", `The ${what} on line ${r.fieldsLine} is already the login of another person: it was not given to this guardian (${kept}). Correct it in the SIS.`, {
            line: r.fieldsLine,
            column: FIELD_NAMES[f]
          })
        );
      }
    }
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return issues;
  }
  /**
   * Calls `visit` with every request whose file value of `field` is `value` (each once, in no
   * particular order): those asking for it, those whose account holds it, and those not
   * asking for it although the file gives it (locked or ignored). Complete when `value` was
   * asked for and the index holds every stored account with that login; returns false,
   * visiting nothing, when `value` was not asked for.
   */
  forEachRequestWithLogin(field, value, visit) {
    const f = field === "email" ? EMAIL : MOBILE;
    const node = this.nodesByValue[f].get(value);
    if (node === void 0) return false;
    for (const i of this.nodeAskers[node]) visit(i);
    for (const i of this.unasked[f]?.get(value) ?? []) visit(i);
    for (const account of lookup(this.holders[f], value)) {
      for (const i of this.requestsOfHolder.get(account.id) ?? []) {
        if (this.cur[f][i] === value && this.fileValue(i, f) === value) visit(i);
      }
    }
    return true;
  }
  /**
   * Request `i` (for a new account) stops asking for the file's value of `field`, as if it
   * had been given with `ignore`. Pushes onto `changed` every request whose logins may have
   * changed (`i` included).
   */
  withdraw(i, field, changed) {
    if (this.requests.account(i) !== null) throw new Error("CredentialSolver.withdraw: only a request for a new account can withdraw an ask");
    const f = field === "email" ? EMAIL : MOBILE;
    this.flags[i] = this.flags[i] | (f === EMAIL ? IGNORES_EMAIL : IGNORES_MOBILE);
    const node = this.asks[f][i];
    if (node === NO_NODE) return;
    this.asks[f][i] = NO_NODE;
    changed.push(i);
    if (this.winner[node] !== i) return;
    const next = this.firstAsker(node);
    this.winner[node] = next;
    if (next === REFUSED) return;
    changed.push(next);
    this.propagate(node, changed);
  }
  // --- building -------------------------------------------------------------------------
  /** Records what request `i` asks for in field `f`; true when it asks. */
  noteAsk(i, f, fileValue, cur, notAsking) {
    if (fileValue === null || fileValue === cur) return false;
    if (notAsking) {
      const byValue = this.unasked[f] ??= /* @__PURE__ */ new Map();
      const list = byValue.get(fileValue);
      if (list === void 0) byValue.set(fileValue, [i]);
      else list.push(i);
      return false;
    }
    const nodes = this.nodesByValue[f];
    let node = nodes.get(fileValue);
    if (node === void 0) {
      node = this.nodeValue.length;
      nodes.set(fileValue, node);
      this.nodeField.push(f);
      this.nodeValue.push(fileValue);
      this.nodeAskers.push([i]);
    } else {
      this.nodeAskers[node].push(i);
    }
    this.asks[f][i] = node;
    return true;
  }
  /** Maps the accounts holding asked values to their requests: one pass, only when some asked value is held. */
  findHolders() {
    const held = /* @__PURE__ */ new Set();
    for (let node = 0; node < this.nodeValue.length; node++) {
      for (const account of lookup(this.holders[this.nodeField[node]], this.nodeValue[node])) held.add(account.id);
    }
    if (held.size === 0) return;
    for (let i = 0; i < this.n; i++) {
      const id = this.accountIds[i];
      if (id === null || !held.has(id)) continue;
      const list = this.requestsOfHolder.get(id);
      if (list === void 0) this.requestsOfHolder.set(id, [i]);
      else list.push(i);
    }
  }
  decideAll() {
    const count = this.nodeValue.length;
    this.winner = new Int32Array(count).fill(UNDECIDED);
    this.open = new Uint8Array(count);
    this.cursor = new Int32Array(count);
    this.depKind = new Uint8Array(count);
    this.depNode = new Int32Array(count).fill(NO_NODE);
    this.depHolder = new Int32Array(count).fill(REFUSED);
    const onPath = new Uint8Array(count);
    const stack = [];
    for (let start = 0; start < count; start++) {
      if (this.winner[start] !== UNDECIDED) continue;
      stack.push(start);
      while (stack.length > 0) {
        const node = stack[stack.length - 1];
        if (this.winner[node] !== UNDECIDED) {
          stack.pop();
          onPath[node] = 0;
          continue;
        }
        if (this.depKind[node] === DEP_UNKNOWN) this.dependencyOf(node);
        const kind = this.depKind[node];
        if (kind !== DEP_NODE) {
          this.settle(node, kind === DEP_RELEASED);
          continue;
        }
        const dep = this.depNode[node];
        const decided = this.winner[dep];
        if (decided !== UNDECIDED) {
          this.settle(node, decided === this.depHolder[node]);
          continue;
        }
        if (onPath[dep] === 1) {
          this.settle(node, false);
          continue;
        }
        onPath[node] = 1;
        stack.push(dep);
      }
    }
  }
  settle(node, open) {
    this.open[node] = open ? 1 : 0;
    this.winner[node] = open ? this.firstAsker(node) : REFUSED;
  }
  /**
   * What decides whether the holder of a node's value gives it up: nobody holds it
   * (released), the holder keeps it, or the node the holder's request asks for instead.
   */
  dependencyOf(node) {
    const f = this.nodeField[node];
    const value = this.nodeValue[node];
    const found = this.holders[f].get(value);
    const holderAccount = Array.isArray(found) ? found[0] : found;
    if (holderAccount === void 0) return this.depends(node, DEP_RELEASED);
    if (Array.isArray(found) && found.length > 1) return this.depends(node, DEP_KEPT);
    const list = this.requestsOfHolder.get(holderAccount.id);
    const holder = list === void 0 ? void 0 : list[list.length - 1];
    if (holder === void 0 || (this.flags[holder] & LOCKED) !== 0) return this.depends(node, DEP_KEPT);
    const next = this.want(holder, f);
    if (next === value) return this.depends(node, DEP_KEPT);
    if (next !== null) return this.dependsOnAsk(node, holder, f, next);
    const g = f === EMAIL ? MOBILE : EMAIL;
    if (this.cur[g][holder] !== null) return this.depends(node, DEP_RELEASED);
    const otherWant = this.want(holder, g);
    if (otherWant === null) return this.depends(node, DEP_KEPT);
    return this.dependsOnAsk(node, holder, g, otherWant);
  }
  depends(node, kind) {
    this.depKind[node] = kind;
  }
  /** The node depends on the holder getting `value` in field `f`, which it can only get by asking for it. */
  dependsOnAsk(node, holder, f, value) {
    const asked = this.asks[f][holder];
    if (asked === NO_NODE || this.nodeValue[asked] !== value) {
      this.depKind[node] = DEP_KEPT;
      return;
    }
    this.depKind[node] = DEP_NODE;
    this.depNode[node] = asked;
    this.depHolder[node] = holder;
    const list = this.dependents.get(holder);
    if (list === void 0) this.dependents.set(holder, [node]);
    else list.push(node);
  }
  // --- reading and updating -------------------------------------------------------------
  /** What request `i` wants its account to end with in field `f`; a locked account or an ignored field wants what it has. */
  want(i, f) {
    const notAsking = (this.flags[i] & (LOCKED | (f === EMAIL ? IGNORES_EMAIL : IGNORES_MOBILE))) !== 0;
    return notAsking ? this.cur[f][i] : this.fileValue(i, f);
  }
  fileValue(i, f) {
    const fields = this.requests.guardian(i).fields;
    return f === EMAIL ? fields.email : fields.mobilePhone;
  }
  wantsNothing(i, f) {
    return this.want(i, f) === null;
  }
  /** The value request `i` ends with in field `f` before the blank rule: the asked one when granted, else the current one. */
  kept(i, f) {
    const node = this.asks[f][i];
    return node !== NO_NODE && this.winner[node] === i ? this.nodeValue[node] : this.cur[f][i];
  }
  /** The first asker by line still asking for the node, or REFUSED. */
  firstAsker(node) {
    const askers = this.nodeAskers[node];
    const f = this.nodeField[node];
    let c = this.cursor[node];
    while (c < askers.length && this.asks[f][askers[c]] !== node) c++;
    this.cursor[node] = c;
    return c < askers.length ? askers[c] : REFUSED;
  }
  /**
   * `node` went to a new winner (from a withdrawn request): nodes held by that winner that
   * depend on `node` open and go to their first asker, and so on up the chain. Nothing ever
   * closes: a winner is only ever taken from a request for a new account, which holds
   * nothing, so withdrawals only open nodes, each at most once over any number of them.
   * That keeps all the withdrawals of a plan linear in all.
   */
  propagate(node, changed) {
    const work = [node];
    while (work.length > 0) {
      const dep = work.pop();
      const holder = this.winner[dep];
      const held = holder < 0 ? void 0 : this.dependents.get(holder);
      if (held === void 0) continue;
      for (const m of held) {
        if (this.depNode[m] !== dep || this.open[m] === 1) continue;
        this.open[m] = 1;
        const next = this.firstAsker(m);
        this.winner[m] = next;
        if (next === REFUSED) continue;
        changed.push(next);
        work.push(m);
      }
    }
  }
};

// src/plan/hand-over-order.ts
function inHandOverOrder(updates, before) {
  if (before.size === 0) return updates;
  const rank = /* @__PURE__ */ new Map();
  const rankOf = (start) => {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack[stack.length - 1];
      if (rank.has(id)) {
        stack.pop();
        continue;
      }
      const preds = before.get(id) ?? [];
      const pending = preds.filter((p) => !rank.has(p));
      if (pending.length > 0) {
        if (stack.length > 2 * updates.length + 2) break;
        stack.push(...pending);
        continue;
      }
      rank.set(id, preds.reduce((m, p) => Math.max(m, (rank.get(p) ?? 0) + 1), 0));
      stack.pop();
    }
    return rank.get(start) ?? 0;
  };
  return updates.map((u, i) => ({ u, i, r: rankOf(u.accountId) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.u);
}

// src/plan/settle-indistinguishable-guardians.ts
function settleIndistinguishableGuardians(requests, logins) {
  const owners = new KeyOwners(requests, logins);
  const collidedWith = /* @__PURE__ */ new Map();
  const ownerOf = /* @__PURE__ */ new Map();
  const queue = new MaxHeap();
  const evaluate = (i) => {
    ownerOf.delete(i);
    const g = requests.guardian(i);
    if (g.sisIds.length > 0 || requests.account(i) !== null) return;
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    const ended = contactKey({ firstName: g.fields.firstName, lastName: g.fields.lastName, email, mobilePhone });
    if (ended === null || ended === g.key) return;
    const owner = owners.firstOwner(ended, i, email, mobilePhone);
    if (owner === void 0) return;
    ownerOf.set(i, owner);
    queue.push(i);
  };
  for (const i of logins.askingRequests()) evaluate(i);
  const changed = [];
  for (let i = queue.pop(); i !== void 0; i = queue.pop()) {
    const owner = ownerOf.get(i);
    if (owner === void 0) continue;
    collidedWith.set(requests.guardian(i).index, requests.guardian(owner));
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    changed.length = 0;
    if (email !== null) logins.withdraw(i, "email", changed);
    if (mobilePhone !== null) logins.withdraw(i, "mobilePhone", changed);
    for (const j of changed) evaluate(j);
  }
  return collidedWith;
}
var KeyOwners = class {
  constructor(requests, logins) {
    this.requests = requests;
    this.logins = logins;
  }
  requests;
  logins;
  /** Per login value: key → the two smallest owning requests. */
  byLogin = { email: /* @__PURE__ */ new Map(), mobilePhone: /* @__PURE__ */ new Map() };
  everyKeyOwners = null;
  /** The first request by line, other than `self`, owning `key` (a key made of `email` and `mobile`). */
  firstOwner(key, self, email, mobile) {
    const owners = this.ownersOf(key, email, mobile);
    for (const o of owners) if (o !== self) return o;
    return void 0;
  }
  ownersOf(key, email, mobile) {
    if (email === null !== (mobile === null)) {
      const field = email !== null ? "email" : "mobilePhone";
      const value = email ?? mobile;
      const stable = field === "email" ? ASCII.test(value) && emailKey(value) === value : mobileKey(value) === value;
      const keys = stable ? this.keysOfLogin(field, value) : void 0;
      if (keys !== void 0) return keys.get(key) ?? NONE;
    }
    return this.everyKey().get(key) ?? NONE;
  }
  keysOfLogin(field, value) {
    const cache3 = this.byLogin[field];
    const cached = cache3.get(value);
    if (cached !== void 0) return cached;
    const keys = /* @__PURE__ */ new Map();
    const complete = this.logins.forEachRequestWithLogin(field, value, (o) => {
      const g = this.requests.guardian(o);
      if (g.key !== null) addOwner(keys, g.key, o);
      const { firstName, lastName, email, mobilePhone } = g.fields;
      if (email === null || mobilePhone === null) return;
      const partial = field === "email" ? contactKey({ firstName, lastName, email, mobilePhone: null }) : contactKey({ firstName, lastName, email: null, mobilePhone });
      if (partial !== null) addOwner(keys, partial, o);
    });
    if (!complete) return void 0;
    cache3.set(value, keys);
    return keys;
  }
  /** Every request's keys (the plain way, for keys the per-login index cannot answer). */
  everyKey() {
    if (this.everyKeyOwners !== null) return this.everyKeyOwners;
    const owners = /* @__PURE__ */ new Map();
    const own = (k, i) => {
      if (k !== null) addOwner(owners, k, i);
    };
    for (let i = 0; i < this.requests.length; i++) {
      if (!this.requests.present(i)) continue;
      const g = this.requests.guardian(i);
      own(g.key, i);
      const { firstName, lastName, email, mobilePhone } = g.fields;
      if (email !== null && mobilePhone !== null) {
        own(contactKey({ firstName, lastName, email: null, mobilePhone }), i);
        own(contactKey({ firstName, lastName, email, mobilePhone: null }), i);
      }
    }
    this.everyKeyOwners = owners;
    return owners;
  }
};
var ASCII = /^[\u0000-\u007f]*$/u;
var NONE = Object.freeze([]);
function addOwner(map, key, i) {
  const list = map.get(key);
  if (list === void 0) {
    map.set(key, [i]);
    return;
  }
  if (list.includes(i)) return;
  list.push(i);
  list.sort((a, b) => a - b);
  if (list.length > 2) list.length = 2;
}
var MaxHeap = class {
  items = [];
  push(value) {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = i - 1 >> 1;
      if (items[parent] >= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }
  pop() {
    const items = this.items;
    if (items.length === 0) return void 0;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      let i = 0;
      for (; ; ) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right] > items[left] ? right : left;
        if (items[child] <= last) break;
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
};

// src/plan/plan-account-changes.ts
function planAccountChanges(input2) {
  const { guardians, linkLines, matched, index } = input2;
  const present = (i) => (linkLines[guardians[i].index]?.length ?? 0) > 0;
  const accountOf = (i) => matched[guardians[i].index] ?? null;
  const locked = (account) => account !== null && account.claimed && !input2.updateClaimedAccounts;
  const requests = {
    length: guardians.length,
    present,
    guardian: (i) => guardians[i],
    account: accountOf,
    locked: (i) => locked(accountOf(i)),
    ignores: () => false
  };
  const logins = new CredentialSolver(requests, index);
  const collidedWith = settleIndistinguishableGuardians(requests, logins);
  const out = noAccountChanges(guardians.length, logins.issues());
  for (let i = 0; i < guardians.length; i++) {
    const g = guardians[i];
    const lines = linkLines[g.index];
    if (lines === void 0 || lines.length === 0) continue;
    const account = matched[g.index] ?? null;
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    if (email === null && mobilePhone === null) {
      out.effects[g.index] = "skipped";
      out.issues.push(noContactCredentialIssue(g, collidedWith.get(g.index)));
      continue;
    }
    if (account === null) {
      const accountId = input2.newAccountId(g.sisIds[0] ?? g.key ?? `line:${g.firstLine}`);
      out.creates.push({ accountId, fields: { ...g.fields, email, mobilePhone }, guardianSisIds: [...g.sisIds], lines });
      out.accountIds[g.index] = accountId;
      out.effects[g.index] = "created";
      continue;
    }
    out.accountIds[g.index] = account.id;
    let changed = false;
    const isLocked = locked(account);
    const changes = fieldChanges(account, g.fields, email, mobilePhone, isLocked);
    if (changes !== null) {
      out.updates.push({ accountId: account.id, changes, lines });
      changed = true;
    }
    if (isLocked && protectedFieldsDiffer(account, g.fields)) out.issues.push(claimedAccountIssue(g));
    if (planRoleChanges(out, account, g, lines)) changed = true;
    out.effects[g.index] = changed ? "changed" : "same";
  }
  out.updates = inHandOverOrder(out.updates, handOvers(requests, logins));
  return out;
}
function handOvers(requests, logins) {
  const before = /* @__PURE__ */ new Map();
  for (const i of logins.askingRequests()) {
    const account = requests.account(i);
    if (account === null) continue;
    const list = logins.after(i);
    if (list.length > 0) before.set(account.id, list);
  }
  return before;
}
function fieldChanges(account, fields, email, mobilePhone, locked) {
  let changes = null;
  if (!locked) {
    changes = plainChange(changes, "firstName", account.firstName ?? null, fields.firstName ?? null);
    changes = plainChange(changes, "lastName", account.lastName ?? null, fields.lastName ?? null);
    changes = loginChange(changes, "email", account.email ?? null, email, emailKey);
    changes = loginChange(changes, "mobilePhone", account.mobilePhone ?? null, mobilePhone, mobileKey);
    changes = plainChange(changes, "homePhone", account.homePhone ?? null, fields.homePhone ?? null);
  }
  return plainChange(changes, "language", account.language ?? null, fields.language ?? null);
}
function protectedFieldsDiffer(account, fields) {
  let changes = plainChange(null, "firstName", account.firstName ?? null, fields.firstName ?? null);
  changes = plainChange(changes, "lastName", account.lastName ?? null, fields.lastName ?? null);
  changes = loginChange(changes, "email", account.email ?? null, fields.email ?? null, emailKey);
  changes = loginChange(changes, "mobilePhone", account.mobilePhone ?? null, fields.mobilePhone ?? null, mobileKey);
  changes = plainChange(changes, "homePhone", account.homePhone ?? null, fields.homePhone ?? null);
  return changes !== null;
}
function plainChange(changes, field, before, after) {
  if (before === after) return changes;
  (changes ??= []).push({ field, before, after });
  return changes;
}
function loginChange(changes, field, before, after, fold) {
  if (before === after || fold(before) === fold(after)) return changes;
  (changes ??= []).push({ field, before, after });
  return changes;
}
function missingIds(ids, held) {
  let missing = null;
  for (const id of ids) if (!held.includes(id)) (missing ??= []).push(id);
  return missing;
}
function noContactCredentialIssue(g, indistinguishableFrom) {
  const lines = g.rows.map((r) => r.line);
  if (indistinguishableFrom !== void 0) {
    return createIssue(
      "NO_CONTACT_CREDENTIAL",
      `The guardian on line ${g.fieldsLine} has no guardianSisId, and the only login left to them (the other belongs to another person) would make them indistinguishable from the guardian on line ${indistinguishableFrom.fieldsLine}: they were not added. Give them a guardianSisId or a login of their own.`,
      { line: g.fieldsLine, lines }
    );
  }
  return createIssue(
    "NO_CONTACT_CREDENTIAL",
    `The guardian on line ${g.fieldsLine} has no email or mobile phone of their own to log in with, so they were not added. Add one in the SIS; the next sync adds them.`,
    { line: g.fieldsLine, column: g.fields.email !== null ? "email" : "mobilePhone", lines }
  );
}
function claimedAccountIssue(g) {
  return createIssue(
    "CLAIMED_ACCOUNT_NOT_UPDATED",
    `The guardian on line ${g.fieldsLine} manages their own account: the names and contacts in the file were not applied to it (links and roles still are).`,
    { line: g.fieldsLine }
  );
}
function planRoleChanges(out, account, g, lines) {
  const role = guardianRoleOf(account);
  if (role === void 0) {
    out.roleAdds.push({ accountId: account.id, role: "guardian", sisIds: [...g.sisIds], reason: "new-role", lines });
    return true;
  }
  let changed = false;
  const missing = missingIds(g.sisIds, role.sisIds);
  if (missing !== null) {
    out.roleAdds.push({ accountId: account.id, role: "guardian", sisIds: missing, reason: "new-sis-id", lines });
    changed = true;
  }
  if (role.status === "archived") {
    out.restores.push({ accountId: account.id, role: "guardian", lines });
    changed = true;
  }
  return changed;
}
function noAccountChanges(guardianCount, issues) {
  return {
    creates: [],
    updates: [],
    roleAdds: [],
    restores: [],
    accountIds: new Array(guardianCount).fill(null),
    effects: new Array(guardianCount).fill("absent"),
    issues
  };
}

// src/plan/links-by-account.ts
var LinksByAccount = class {
  constructor(links) {
    this.links = links;
    const groupOfLink = new Int32Array(links.length);
    let current = -1;
    let currentId;
    for (let i = 0; i < links.length; i++) {
      const accountId = links[i].accountId;
      if (accountId !== currentId) {
        currentId = accountId;
        const found = this.numbers.get(accountId);
        if (found !== void 0) current = found;
        else {
          current = this.accountIds.length;
          this.numbers.set(accountId, current);
          this.accountIds.push(accountId);
        }
      }
      groupOfLink[i] = current;
    }
    const groups = this.accountIds.length;
    this.start = new Int32Array(groups + 1);
    for (let i = 0; i < links.length; i++) this.start[groupOfLink[i] + 1]++;
    for (let g = 0; g < groups; g++) this.start[g + 1] += this.start[g];
    const next = this.start.slice(0, groups);
    this.order = new Int32Array(links.length);
    for (let i = 0; i < links.length; i++) this.order[next[groupOfLink[i]]++] = i;
  }
  links;
  /** Account id of each group. */
  accountIds = [];
  numbers = /* @__PURE__ */ new Map();
  /** Group g's links are `links[order[p]]` for p in `start[g]` … `start[g + 1] - 1`, in stored order. */
  start;
  order;
  get size() {
    return this.accountIds.length;
  }
  /** The group of an account, or -1 when it has no link. */
  groupOf(accountId) {
    return this.numbers.get(accountId) ?? -1;
  }
  /** Number of links in a group. */
  countOf(group) {
    return this.start[group + 1] - this.start[group];
  }
  /** The i-th link of a group (0 ≤ i < countOf(group)). */
  linkOf(group, i) {
    return this.links[this.order[this.start[group] + i]];
  }
};

// src/plan/plan-links.ts
function planLinks(input2) {
  const { guardians, slotOffsets, usable, source } = input2;
  const slots = slotOffsets[guardians.length] ?? 0;
  const addedSlots = new Uint8Array(slots);
  const removedSlots = new Uint8Array(slots);
  const groups = new LinksByAccount(input2.links);
  const own = new OwnStudents(groups, source);
  const asking = new RowsAsking(slotOffsets, usable);
  const accountOf = new Array(groups.size).fill(null);
  const guardianOf = new Int32Array(groups.size).fill(-1);
  const deleterOf = new Int32Array(groups.size).fill(-1);
  const addsOf = new Int32Array(groups.size);
  const linkAdds = [];
  for (const g of guardians) {
    const accountId = input2.added[g.index] ?? null;
    const matched = input2.matched[g.index] ?? null;
    if (input2.delta && matched !== null) {
      const group2 = groups.groupOf(matched.id);
      if (group2 !== -1) {
        deleterOf[group2] = g.index;
        accountOf[group2] = matched;
      }
    }
    if (accountId === null) continue;
    const group = groups.groupOf(accountId);
    if (group !== -1) {
      guardianOf[group] = g.index;
      if (matched !== null && matched.id === accountId) accountOf[group] = matched;
    }
    let adds = 0;
    const base = slotOffsets[g.index];
    for (let k = 0; k < g.rows.length; k++) {
      const row = g.rows[k];
      if (usable[base + k] !== 1 || row.delete === true) continue;
      const student = row.studentSisId;
      if (asking.firstSlot(g, false, student) !== base + k) continue;
      if (group !== -1 && own.has(group, student)) continue;
      const asked = asking.slots(g, false, student);
      for (const slot of asked) addedSlots[slot] = 1;
      linkAdds.push({ accountId, studentSisId: student, lines: asked.map((slot) => g.rows[slot - base].line) });
      adds++;
    }
    if (group !== -1) addsOf[group] = adds;
  }
  const linkRemoves = [];
  let managedLinks = 0;
  let managedGuardians = 0;
  const withRemovals = [];
  const unknown = /* @__PURE__ */ new Map();
  for (let group = 0; group < groups.size; group++) {
    const accountId = groups.accountIds[group];
    const count = groups.countOf(group);
    let managedHere = 0;
    let removed = null;
    const seen = count > SCAN_LIMIT ? /* @__PURE__ */ new Set() : null;
    for (let l = 0; l < count; l++) {
      const link = groups.linkOf(group, l);
      if (link.source !== source) continue;
      const student = link.studentSisId;
      if (seen !== null ? seen.size === seen.add(student).size : l > 0 && ownLinkBefore(groups, group, source, student, l)) continue;
      const guardian = guardianOf[group];
      if (guardian !== -1 && asking.firstSlot(guardians[guardian], false, student) !== -1) {
        managedHere++;
        continue;
      }
      if (input2.students.problemOf(student) !== null) continue;
      managedHere++;
      if (input2.delta) {
        const deleterIndex = deleterOf[group];
        if (deleterIndex === -1) continue;
        const deleter = guardians[deleterIndex];
        const asked = asking.slots(deleter, true, student);
        if (asked.length === 0) continue;
        for (const slot of asked) removedSlots[slot] = 1;
        const base = slotOffsets[deleter.index];
        linkRemoves.push({ accountId, studentSisId: student, lines: asked.map((slot) => deleter.rows[slot - base].line) });
      } else {
        linkRemoves.push({ accountId, studentSisId: student, lines: [] });
      }
      (removed ??= new StudentSet()).add(student);
    }
    managedLinks += managedHere;
    if (managedHere === 0) continue;
    const account = accountOf[group] ?? null;
    if (account === null) unknown.set(accountId, { group, removed });
    else if (isActiveGuardian(account)) {
      managedGuardians++;
      if (removed !== null) withRemovals.push({ group, removed });
    }
  }
  linkRemoves.sort(byPair);
  if (unknown.size > 0) {
    for (const account of input2.accounts) {
      const found = unknown.get(account.id);
      if (found === void 0 || !isActiveGuardian(account)) continue;
      managedGuardians++;
      if (found.removed !== null) withRemovals.push(found);
    }
  }
  const archives = [];
  for (const { group, removed } of withRemovals) {
    const accountId = groups.accountIds[group];
    if (addsOf[group] > 0 || input2.keptAccounts.has(accountId)) continue;
    let left = false;
    for (let l = 0; l < groups.countOf(group) && !left; l++) {
      const link = groups.linkOf(group, l);
      left = !(link.source === source && removed.has(link.studentSisId));
    }
    if (!left) archives.push({ accountId, role: "guardian", lines: [] });
  }
  archives.sort((a, b) => compare2(a.accountId, b.accountId));
  return { linkAdds, linkRemoves, archives, managedLinks, managedGuardians, addedSlots, removedSlots };
}
function isActiveGuardian(account) {
  return guardianRoleOf(account)?.status === "active";
}
function ownLinkBefore(groups, group, source, student, at) {
  for (let l = 0; l < at; l++) {
    const link = groups.linkOf(group, l);
    if (link.source === source && link.studentSisId === student) return true;
  }
  return false;
}
var OwnStudents = class {
  constructor(groups, source) {
    this.groups = groups;
    this.source = source;
  }
  groups;
  source;
  large = /* @__PURE__ */ new Map();
  has(group, student) {
    const count = this.groups.countOf(group);
    if (count > SCAN_LIMIT) {
      let set = this.large.get(group);
      if (set === void 0) {
        set = /* @__PURE__ */ new Set();
        for (let l = 0; l < count; l++) {
          const link = this.groups.linkOf(group, l);
          if (link.source === this.source) set.add(link.studentSisId);
        }
        this.large.set(group, set);
      }
      return set.has(student);
    }
    for (let l = 0; l < count; l++) {
      const link = this.groups.linkOf(group, l);
      if (link.source === this.source && link.studentSisId === student) return true;
    }
    return false;
  }
};
var SCAN_LIMIT = 16;
var RowsAsking = class {
  constructor(slotOffsets, usable) {
    this.slotOffsets = slotOffsets;
    this.usable = usable;
  }
  slotOffsets;
  usable;
  large = /* @__PURE__ */ new Map();
  /** The first slot asking (-1: none). */
  firstSlot(g, deletes, student) {
    const base = this.slotOffsets[g.index];
    if (g.rows.length > SCAN_LIMIT) return this.index(g, deletes).get(student)?.[0] ?? -1;
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, deletes, student)) return base + k;
    return -1;
  }
  /** Every slot asking, in line order. */
  slots(g, deletes, student) {
    const base = this.slotOffsets[g.index];
    if (g.rows.length > SCAN_LIMIT) return this.index(g, deletes).get(student) ?? [];
    const out = [];
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, deletes, student)) out.push(base + k);
    return out;
  }
  asks(g, base, k, deletes, student) {
    const row = g.rows[k];
    return this.usable[base + k] === 1 && row.delete === true === deletes && row.studentSisId === student;
  }
  index(g, deletes) {
    const key = g.index * 2 + (deletes ? 1 : 0);
    let found = this.large.get(key);
    if (found === void 0) {
      found = /* @__PURE__ */ new Map();
      const base = this.slotOffsets[g.index];
      for (let k = 0; k < g.rows.length; k++) {
        const row = g.rows[k];
        if (this.usable[base + k] !== 1 || row.delete === true !== deletes) continue;
        const list = found.get(row.studentSisId);
        if (list === void 0) found.set(row.studentSisId, [base + k]);
        else list.push(base + k);
      }
      this.large.set(key, found);
    }
    return found;
  }
};
var StudentSet = class {
  list = [];
  set = null;
  add(student) {
    if (this.set !== null) this.set.add(student);
    else if (this.list.length < SCAN_LIMIT) {
      if (!this.list.includes(student)) this.list.push(student);
    } else {
      this.set = new Set(this.list);
      this.set.add(student);
    }
  }
  has(student) {
    return this.set !== null ? this.set.has(student) : this.list.includes(student);
  }
};
function compare2(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function byPair(a, b) {
  return compare2(a.accountId, b.accountId) || compare2(a.studentSisId, b.studentSisId);
}

// src/plan/plan-input.ts
var DEFAULT_MAX_REMOVAL_RATIO = 0.1;

// src/plan/safety-threshold.ts
init_issue();
function ratio(part, whole) {
  return whole === 0 ? 0 : part / whole;
}
function checkSafetyThreshold(input2) {
  const removalRatio = ratio(input2.linkRemoves, input2.managedLinks);
  const archiveRatio = ratio(input2.archives, input2.managedGuardians);
  const max = input2.maxRemovalRatio;
  const removalOver = removalRatio > max;
  const archiveOver = archiveRatio > max;
  const exceeded = removalOver || archiveOver;
  const threshold = { maxRemovalRatio: max, removalRatio, archiveRatio, exceeded, forced: exceeded && input2.force };
  if (!exceeded || input2.force) return { threshold, hold: false, issue: null };
  const parts = [];
  if (removalOver) parts.push(`remove ${percent(removalRatio)} of the links this sync manages (${input2.linkRemoves} of ${input2.managedLinks})`);
  if (archiveOver) parts.push(`archive ${percent(archiveRatio)} of the guardians it manages (${input2.archives} of ${input2.managedGuardians})`);
  const message = `This run would ${parts.join(" and ")}, above the safety threshold of ${percent(max)}: no link was removed and no guardian archived (new accounts, updates and new links were applied). Check that the file is complete; if the removals are intended, run again with force or a higher threshold.`;
  return { threshold, hold: true, issue: createIssue("THRESHOLD_EXCEEDED", message) };
}
function percent(value) {
  return `${Math.round(value * 1e3) / 10}%`;
}

// src/plan/student-scope.ts
function studentScope(snapshot2) {
  const schools = new Set(snapshot2.scope.schoolIds);
  const inScope = /* @__PURE__ */ new Map();
  for (const student of snapshot2.students) inScope.set(student.sisId, schools.has(student.schoolId));
  return {
    problemOf: (sisId) => {
      const found = inScope.get(sisId);
      return found === void 0 ? "unknown" : found ? null : "out-of-scope";
    }
  };
}

// src/plan/build-plan.ts
var NO_LINES = [];
function buildPlan(input2) {
  const { snapshot: snapshot2, settings } = input2;
  const mode = settings.mode ?? "full";
  const __t = [performance.now()];
  const __m = (n) => {
    const t = performance.now();
    if (process.env["PHASES"]) console.log(n.padEnd(14), (t - __t[0]).toFixed(0));
    __t[0] = t;
  };
  const grouped = groupRows(input2.rows);
  __m("groupRows");
  const { guardians, ordered, guardianOfRow } = grouped;
  const issues = [...grouped.issues];
  const slotOffsets = new Int32Array(guardians.length + 1);
  for (const g of guardians) slotOffsets[g.index + 1] = slotOffsets[g.index] + g.rows.length;
  const slotOfRow = new Int32Array(ordered.length);
  const seen = new Int32Array(guardians.length);
  for (let i = 0; i < ordered.length; i++) {
    const gi = guardianOfRow[i];
    slotOfRow[i] = slotOffsets[gi] + seen[gi]++;
  }
  __m("slots");
  const students = studentScope(snapshot2);
  const usable = new Uint8Array(ordered.length);
  const linkLines = new Array(guardians.length);
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i];
    const problem = students.problemOf(row.studentSisId);
    if (problem !== null) {
      issues.push(studentIssue(row, problem));
      continue;
    }
    usable[slotOfRow[i]] = 1;
    if (row.delete === true) continue;
    const gi = guardianOfRow[i];
    (linkLines[gi] ??= []).push(row.line);
  }
  __m("students");
  const hasLinks = (gi) => linkLines[gi] !== void 0;
  const logins = new LoginIndex(snapshot2.accounts);
  const matches = matchGuardiansToAccounts({
    guardians,
    accounts: snapshot2.accounts,
    candidates: findIdCandidates(snapshot2.accounts, guardians.length, grouped.guardianIndexOfId),
    logins,
    guardianOfId: grouped.guardianIndexOfId,
    isActive: (g) => hasLinks(g.index)
  });
  issues.push(...matches.issues);
  __m("match");
  const asked = { emails: [], mobiles: [] };
  for (const g of guardians) {
    if (!hasLinks(g.index)) continue;
    const account = matches.accounts[g.index] ?? null;
    const { email, mobilePhone } = g.fields;
    if (email !== null && (account === null || account.email !== email)) asked.emails.push(email);
    if (mobilePhone !== null && (account === null || account.mobilePhone !== mobilePhone)) asked.mobiles.push(mobilePhone);
  }
  logins.cover(asked.emails, asked.mobiles);
  __m("cover");
  const accounts = planAccountChanges({
    guardians,
    linkLines: guardians.map((g) => linkLines[g.index] ?? NO_LINES),
    matched: matches.accounts,
    index: logins,
    updateClaimedAccounts: settings.updateClaimedAccounts ?? false,
    newAccountId: settings.newAccountId ?? (() => randomUUID())
  });
  issues.push(...accounts.issues);
  __m("accounts");
  const kept = /* @__PURE__ */ new Set();
  for (const r of accounts.restores) kept.add(r.accountId);
  for (const r of accounts.roleAdds) kept.add(r.accountId);
  const links = planLinks({
    guardians,
    slotOffsets,
    usable,
    added: accounts.accountIds,
    matched: matches.accounts,
    links: snapshot2.links,
    accounts: snapshot2.accounts,
    source: settings.source,
    delta: mode === "delta",
    keptAccounts: kept,
    students
  });
  __m("links");
  const maxRemovalRatio = settings.maxRemovalRatio ?? DEFAULT_MAX_REMOVAL_RATIO;
  const decision = checkSafetyThreshold({
    linkRemoves: links.linkRemoves.length,
    managedLinks: links.managedLinks,
    archives: links.archives.length,
    managedGuardians: links.managedGuardians,
    maxRemovalRatio,
    force: settings.force ?? false
  });
  if (decision.issue !== null) issues.push(decision.issue);
  const linkRemoves = decision.hold ? [] : links.linkRemoves;
  const archives = decision.hold ? [] : links.archives;
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const severityOfLine = lineSeverities(issues);
  const rows = new Array(ordered.length);
  let skipped = 0;
  let unchanged = 0;
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i];
    const slot = slotOfRow[i];
    let action;
    if (usable[slot] !== 1) action = "SKIPPED";
    else if (row.delete === true) action = !decision.hold && links.removedSlots[slot] === 1 ? "UPDATED" : "UNCHANGED";
    else action = rowAction(accounts.effects[guardianOfRow[i]] ?? "absent", links.addedSlots[slot] === 1);
    if (action === "SKIPPED") skipped++;
    else if (action === "UNCHANGED") unchanged++;
    rows[i] = { line: row.line, action, result: severityOfLine.get(row.line) ?? "SUCCESS" };
  }
  __m("outcomes");
  const counts = {
    rows: input2.rows.length,
    rowsSkipped: skipped,
    guardians: guardians.length,
    accountsCreated: accounts.creates.length,
    accountsUpdated: accounts.updates.length,
    rolesAdded: accounts.roleAdds.length,
    linksAdded: links.linkAdds.length,
    linksRemoved: linkRemoves.length,
    guardiansArchived: archives.length,
    guardiansRestored: accounts.restores.length,
    unchanged
  };
  return {
    scope: snapshot2.scope,
    source: settings.source,
    creates: accounts.creates,
    updates: accounts.updates,
    roleAdds: accounts.roleAdds,
    linkAdds: links.linkAdds,
    linkRemoves,
    archives,
    restores: accounts.restores,
    held: decision.hold ? { linkRemoves: links.linkRemoves.length, archives: links.archives.length } : { linkRemoves: 0, archives: 0 },
    threshold: decision.threshold,
    rows,
    issues,
    counts
  };
}
function studentIssue(row, problem) {
  const message = problem === "unknown" ? `Student "${row.studentSisId}" on line ${row.line} is not in the roster: the row was skipped. Check the id against the roster sync (leading zeros count).` : `Student "${row.studentSisId}" on line ${row.line} belongs to a school this sync does not cover: the row was skipped.`;
  return createIssue(problem === "unknown" ? "UNKNOWN_STUDENT" : "STUDENT_OUT_OF_SCOPE", message, { line: row.line, column: "studentSisId" });
}
function rowAction(effect, linked) {
  switch (effect) {
    case "created":
      return "CREATED";
    case "changed":
      return "UPDATED";
    case "skipped":
    case "absent":
      return "SKIPPED";
    case "same":
      return linked ? "LINKED" : "UNCHANGED";
  }
}
function lineSeverities(issues) {
  const out = /* @__PURE__ */ new Map();
  const mark = (line, result) => {
    const prev = out.get(line);
    if (prev === "ERROR" || prev === "WARNING" && result !== "ERROR") return;
    out.set(line, result);
  };
  for (const issue of issues) {
    if (issue.severity === "info") continue;
    const result = issue.severity === "error" ? "ERROR" : "WARNING";
    if (issue.line !== null) mark(issue.line, result);
    for (const line of issue.lines ?? []) mark(line, result);
  }
  return out;
}

// src/sources/bytes-source.ts
init_guardian_sync_error();

// src/sources/source-abort.ts
init_guardian_sync_error();
function abortedError(file) {
  return new GuardianSyncError("ABORTED", "Reading the guardian file was cancelled; run the sync again.", { file });
}
function throwIfAborted(signal, file) {
  if (signal?.aborted === true) throw abortedError(file);
}

// src/sources/memory-source-file.ts
var MAX_CHUNK = 64 * 1024;
function createMemorySourceFile(init) {
  const size2 = init.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  let closed = false;
  const file = {
    name: init.name,
    size: size2,
    modifiedAt: init.modifiedAt,
    async *stream(options) {
      const signal = options?.signal;
      throwIfAborted(signal, init.name);
      for (const chunk of init.chunks) {
        for (let offset = 0; offset < chunk.byteLength; offset += MAX_CHUNK) {
          throwIfAborted(signal, init.name);
          yield chunk.subarray(offset, Math.min(offset + MAX_CHUNK, chunk.byteLength));
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await init.onClose?.();
      } catch {
      }
    }
  };
  const mark = init.markProcessed;
  return mark === void 0 ? file : { ...file, markProcessed: () => mark() };
}

// src/sources/bytes-source.ts
function createBytesSource(options) {
  const name = options.name;
  if (typeof name !== "string" || name.trim() === "" || /[\\/]/.test(name)) {
    throw new GuardianSyncError("INVALID_CONFIGURATION", 'createBytesSource: `name` must be a plain file name such as "guardians.csv".');
  }
  if (!(options.bytes instanceof Uint8Array)) {
    throw new GuardianSyncError("INVALID_CONFIGURATION", "createBytesSource: `bytes` must be a Uint8Array (a Buffer is one).");
  }
  const bytes = Uint8Array.from(options.bytes);
  const modifiedAt = options.modifiedAt ?? null;
  return {
    description: `upload:${name}`,
    async open(openOptions = {}) {
      throwIfAborted(openOptions.signal, name);
      const { maxBytes } = openOptions;
      if (maxBytes !== void 0 && bytes.byteLength > maxBytes) {
        throw new GuardianSyncError(
          "FILE_TOO_LARGE",
          `${name} is ${bytes.byteLength} bytes, over the limit of ${maxBytes} bytes: check the export, or raise the size limit.`,
          { file: name }
        );
      }
      return createMemorySourceFile({ name, chunks: [bytes], modifiedAt });
    }
  };
}

// src/stores/memory-store.ts
import { randomUUID as randomUUID2 } from "node:crypto";

// src/stores/account-roles.ts
function sortedSisIds(ids) {
  return [...new Set(ids)].sort(compareText);
}
function compareText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function unionRole(roles, role, sisIds, status) {
  const current = roles.find((r) => r.role === role);
  const next = { role, sisIds: sortedSisIds([...current?.sisIds ?? [], ...sisIds]), status };
  return sortRoles([...roles.filter((r) => r.role !== role), next]);
}
function withRoleStatus(roles, role, status) {
  if (!roles.some((r) => r.role === role)) return void 0;
  return roles.map((r) => r.role === role ? { role: r.role, sisIds: r.sisIds, status } : r);
}
function sortRoles(roles) {
  return [...roles].sort((a, b) => compareText(a.role, b.role));
}
function sameRoles(a, b) {
  if (a.length !== b.length) return false;
  const left = sortRoles(a);
  const right = sortRoles(b);
  return left.every((role, i) => {
    const other = right[i];
    return other !== void 0 && role.role === other.role && role.status === other.status && role.sisIds.length === other.sisIds.length && sortedSisIds(role.sisIds).every((id, j) => id === sortedSisIds(other.sisIds)[j]);
  });
}
function sameAccount(a, b) {
  return a.id === b.id && a.firstName === b.firstName && a.lastName === b.lastName && a.email === b.email && a.mobilePhone === b.mobilePhone && a.homePhone === b.homePhone && a.language === b.language && a.claimed === b.claimed && sameRoles(a.roles, b.roles);
}

// src/stores/build-roster-export.ts
function buildRosterExport(input2) {
  const linked = /* @__PURE__ */ new Map();
  for (const link of input2.links) {
    let set = linked.get(link.accountId);
    if (set === void 0) {
      set = /* @__PURE__ */ new Set();
      linked.set(link.accountId, set);
    }
    set.add(link.studentSisId);
  }
  const accounts = [];
  for (const account of input2.accounts) {
    const guardianActive = account.roles.some((r) => r.role === "guardian" && r.status === "active");
    accounts.push({
      id: account.id,
      firstName: account.firstName,
      lastName: account.lastName,
      email: account.email,
      mobilePhone: account.mobilePhone,
      homePhone: account.homePhone,
      language: account.language,
      claimed: account.claimed,
      roles: sortRoles(account.roles).map((r) => ({ role: r.role, sisIds: sortedSisIds(r.sisIds), status: r.status })),
      students: guardianActive ? sortedSisIds(linked.get(account.id) ?? []) : []
    });
  }
  accounts.sort((a, b) => compareText(a.id, b.id));
  const students = [...input2.students].map((s) => ({ sisId: s.sisId, schoolId: s.schoolId, firstName: s.firstName, lastName: s.lastName })).sort((a, b) => compareText(a.sisId, b.sisId));
  return { formatVersion: 1, accounts, students };
}

// src/stores/import-staff.ts
var MAX_PASSES = 4;
function importStaffRecords(staff, access) {
  const records = [...staff];
  const created = /* @__PURE__ */ new Set();
  const updated = /* @__PURE__ */ new Set();
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    if (!importPass(records, access, created, updated)) break;
  }
  for (const id of created) updated.delete(id);
  return { staffCreated: created.size, staffUpdated: updated.size };
}
function importPass(records, access, created, updated) {
  let changed = false;
  for (const record of records) {
    const existing = access.accountByStaffSisId(record.sisId) ?? matchByContactKey(record, access);
    if (existing === void 0) {
      const id = access.newAccountId();
      access.write({
        id,
        firstName: record.firstName,
        lastName: record.lastName,
        email: freeCredential(record.email, void 0, access.accountsByEmail.bind(access)),
        mobilePhone: freeCredential(record.mobilePhone, void 0, access.accountsByMobile.bind(access)),
        homePhone: record.homePhone,
        language: null,
        claimed: false,
        roles: unionRole([], "staff", [record.sisId], "active")
      });
      created.add(id);
      changed = true;
      continue;
    }
    const next = {
      ...existing,
      ...existing.claimed ? {} : {
        firstName: record.firstName,
        lastName: record.lastName,
        // The SIS's value, unless another account logs in with it: then keep our own.
        email: blankToNull(record.email) === null ? null : freeCredential(record.email, existing, access.accountsByEmail.bind(access)) ?? existing.email,
        mobilePhone: blankToNull(record.mobilePhone) === null ? null : freeCredential(record.mobilePhone, existing, access.accountsByMobile.bind(access)) ?? existing.mobilePhone,
        homePhone: record.homePhone
      },
      roles: unionRole(existing.roles, "staff", [record.sisId], "active")
    };
    if (!sameAccount(existing, next)) {
      access.write(next);
      updated.add(next.id);
      changed = true;
    }
  }
  return changed;
}
function blankToNull(value) {
  return value === null || value === "" ? null : value;
}
function freeCredential(value, self, holders) {
  if (value === null || value === "") return null;
  return holders(value).some((a) => a.id !== self?.id) ? null : value;
}
function matchByContactKey(record, access) {
  const candidates = record.email !== null && record.email !== "" ? access.accountsByEmail(record.email) : record.mobilePhone !== null && record.mobilePhone !== "" ? access.accountsByMobile(record.mobilePhone) : [];
  const matches = candidates.filter(
    (a) => foldName(a.firstName) === foldName(record.firstName) && foldName(a.lastName) === foldName(record.lastName) && foldEmail(a.email) === foldEmail(record.email) && (a.mobilePhone ?? null) === (record.mobilePhone === "" ? null : record.mobilePhone)
  );
  return matches.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)[0];
}
function foldName(name) {
  return name.normalize("NFC").toLowerCase();
}
function foldEmail(email) {
  return email === null || email === "" ? null : email.toLowerCase();
}

// src/stores/plan-steps.ts
function countPlanSteps(plan) {
  return plan.creates.length + plan.updates.length + plan.roleAdds.length + plan.linkAdds.length + plan.linkRemoves.length + plan.archives.length + plan.restores.length;
}
function* planSteps(plan) {
  for (const item of plan.updates) yield { kind: "update", item };
  for (const item of plan.creates) yield { kind: "create", item };
  for (const item of plan.roleAdds) yield { kind: "role-add", item };
  for (const item of plan.restores) yield { kind: "restore", item };
  for (const item of plan.archives) yield { kind: "archive", item };
  for (const item of plan.linkAdds) yield { kind: "link-add", item };
  for (const item of plan.linkRemoves) yield { kind: "link-remove", item };
}
function describeStep(step) {
  switch (step.kind) {
    case "create":
      return `create of account "${step.item.accountId}"`;
    case "update":
      return `update of account "${step.item.accountId}"`;
    case "role-add":
      return `guardian role add on account "${step.item.accountId}"`;
    case "link-add":
      return `link add (account "${step.item.accountId}", student "${step.item.studentSisId}")`;
    case "link-remove":
      return `link remove (account "${step.item.accountId}", student "${step.item.studentSisId}")`;
    case "archive":
      return `archive of the guardian role of account "${step.item.accountId}"`;
    case "restore":
      return `restore of the guardian role of account "${step.item.accountId}"`;
  }
}

// src/stores/run-summary.ts
function summarizeRun(report) {
  return {
    runId: report.runId,
    scope: { level: report.scope.level, orgId: report.scope.orgId },
    status: report.status,
    dryRun: report.dryRun,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    counts: { ...report.counts }
  };
}
function compareRunsRecentFirst(a, b) {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? 1 : -1;
}
function runMatchesScope(run, scope2) {
  return scope2 === void 0 || run.scope.level === scope2.level && run.scope.orgId === scope2.orgId;
}

// src/stores/store-errors.ts
init_guardian_sync_error();
function stepFailure(step, reason, atomic) {
  const after = atomic ? "Nothing of the plan was applied; run the sync again to re-plan against the current roster." : "The changes before it were applied; run the sync again: it re-plans and converges.";
  return new GuardianSyncError("STORE_FAILED", `Cannot apply the ${describeStep(step)}: ${reason}. ${after}`);
}
function applyAborted(done, total, atomic) {
  const state = atomic ? "nothing was applied" : `${done} of ${total} changes were applied`;
  return new GuardianSyncError("ABORTED", `Applying the plan was cancelled (${state}); run the sync again to finish.`, { transient: true });
}
function loadAborted() {
  return new GuardianSyncError("ABORTED", "Loading the roster was cancelled; nothing was changed.", { transient: true });
}

// src/stores/memory-store.ts
var CAPABILITIES = Object.freeze({ atomicApply: false, crossProcessLock: false });
var YIELD_EVERY = 1e4;
function memoryLinkKey(accountId, studentSisId, source) {
  return `${accountId}\0${studentSisId}\0${source}`;
}
function createMemoryRosterData(seed = {}) {
  const data = {
    orgs: /* @__PURE__ */ new Map(),
    students: /* @__PURE__ */ new Map(),
    accounts: /* @__PURE__ */ new Map(),
    links: /* @__PURE__ */ new Map(),
    locks: /* @__PURE__ */ new Map(),
    runs: /* @__PURE__ */ new Map()
  };
  seedMemoryRosterData(data, seed);
  return data;
}
function seedMemoryRosterData(data, seed) {
  for (const org of seed.orgs ?? []) data.orgs.set(org.id, { ...org });
  for (const student of seed.students ?? []) data.students.set(student.sisId, { ...student });
  for (const account of seed.accounts ?? []) data.accounts.set(account.id, copyAccount(account));
  for (const link of seed.links ?? []) data.links.set(memoryLinkKey(link.accountId, link.studentSisId, link.source), { ...link });
}
function createMemoryStore(options = {}) {
  const data = createMemoryRosterData(options.initial);
  const now = options.now ?? Date.now;
  const newAccountId = options.newAccountId ?? randomUUID2;
  const onApplyStep = options.onApplyStep;
  function resolveScopeNow(scope2) {
    const org = data.orgs.get(scope2.orgId);
    if (org === void 0 || org.type !== scope2.level) return null;
    if (org.type === "district") {
      const schoolIds = [...data.orgs.values()].filter((o) => o.type === "school" && o.parentId === org.id).map((o) => o.id).sort(compareText);
      return { level: scope2.level, orgId: org.id, districtId: org.id, schoolIds };
    }
    return { level: scope2.level, orgId: org.id, districtId: org.parentId ?? org.id, schoolIds: [org.id] };
  }
  function districtSchools(districtId) {
    const schools = /* @__PURE__ */ new Set();
    for (const org of data.orgs.values()) {
      if (org.type === "school" && (org.parentId ?? org.id) === districtId) schools.add(org.id);
    }
    return schools;
  }
  function applyStep(step, source, counts) {
    switch (step.kind) {
      case "create": {
        const { item } = step;
        if (data.accounts.has(item.accountId)) return;
        data.accounts.set(item.accountId, {
          id: item.accountId,
          ...pickFields(item.fields),
          claimed: false,
          roles: unionRole([], "guardian", item.guardianSisIds, "active")
        });
        counts.accountsCreated += 1;
        return;
      }
      case "update": {
        const account = requireAccount(step);
        const next = { ...account };
        const fields = next;
        for (const change of step.item.changes) {
          if (change.field === "firstName" || change.field === "lastName") fields[change.field] = change.after ?? "";
          else fields[change.field] = change.after;
        }
        if (!sameAccount(account, next)) {
          data.accounts.set(account.id, next);
          counts.accountsUpdated += 1;
        }
        return;
      }
      case "role-add": {
        const account = requireAccount(step);
        const next = { ...account, roles: unionRole(account.roles, "guardian", step.item.sisIds, "active") };
        if (!sameAccount(account, next)) {
          data.accounts.set(account.id, next);
          counts.rolesChanged += 1;
        }
        return;
      }
      case "link-add": {
        const { accountId, studentSisId } = step.item;
        requireAccount(step);
        if (!data.students.has(studentSisId)) throw stepFailure(step, "no student with this SIS id", false);
        const key = memoryLinkKey(accountId, studentSisId, source);
        if (data.links.has(key)) return;
        data.links.set(key, { accountId, studentSisId, source });
        counts.linksAdded += 1;
        return;
      }
      case "link-remove": {
        if (data.links.delete(memoryLinkKey(step.item.accountId, step.item.studentSisId, source))) counts.linksRemoved += 1;
        return;
      }
      case "archive":
      case "restore": {
        const account = requireAccount(step);
        const status = step.kind === "archive" ? "archived" : "active";
        const roles = withRoleStatus(account.roles, "guardian", status);
        if (roles === void 0) throw stepFailure(step, "the account has no guardian role", false);
        const next = { ...account, roles };
        if (!sameAccount(account, next)) {
          data.accounts.set(account.id, next);
          counts.rolesChanged += 1;
        }
        return;
      }
    }
  }
  function requireAccount(step) {
    const account = data.accounts.get(step.item.accountId);
    if (account === void 0) throw stepFailure(step, "no account with this id", false);
    return account;
  }
  return {
    capabilities: CAPABILITIES,
    data,
    async resolveScope(scope2) {
      return resolveScopeNow(scope2);
    },
    async loadSnapshot(scope2, loadOptions) {
      if (loadOptions?.signal?.aborted === true) throw loadAborted();
      const schools = districtSchools(scope2.districtId);
      const snapshot2 = {
        scope: scope2,
        students: [...data.students.values()].filter((s) => schools.has(s.schoolId)),
        accounts: [...data.accounts.values()],
        links: [...data.links.values()]
      };
      return snapshot2;
    },
    async applyPlan(plan, applyOptions) {
      const counts = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
      const total = countPlanSteps(plan);
      const signal = applyOptions.signal;
      let step = 0;
      for (const item of planSteps(plan)) {
        if (step > 0 && step % YIELD_EVERY === 0) await new Promise((resolve2) => setImmediate(resolve2));
        if (signal?.aborted === true) throw applyAborted(step, total, false);
        onApplyStep?.(step, item);
        applyStep(item, plan.source, counts);
        step += 1;
      }
      return { ...counts };
    },
    async acquireLock(key, lockOptions) {
      const at = now();
      const current = data.locks.get(key);
      if (current !== void 0 && current.owner !== lockOptions.owner && current.expiresAt > at) return false;
      data.locks.set(key, { owner: lockOptions.owner, expiresAt: at + lockOptions.ttlMs });
      return true;
    },
    async releaseLock(key, owner) {
      if (data.locks.get(key)?.owner === owner) data.locks.delete(key);
    },
    async saveRun(report) {
      data.runs.set(report.runId, { summary: summarizeRun(report), json: JSON.stringify(report) });
    },
    async listRuns(listOptions = {}) {
      const runs = [...data.runs.values()].map((run) => structuredClone(run.summary)).filter((run) => runMatchesScope(run, listOptions.scope));
      runs.sort(compareRunsRecentFirst);
      return listOptions.limit === void 0 ? runs : runs.slice(0, Math.max(0, listOptions.limit));
    },
    async getRun(runId) {
      const run = data.runs.get(runId);
      return run === void 0 ? null : JSON.parse(run.json);
    },
    async importRoster(roster2) {
      for (const org of roster2.orgs) data.orgs.set(org.id, { ...org });
      for (const student of roster2.students) data.students.set(student.sisId, { ...student });
      const byEmail = /* @__PURE__ */ new Map();
      const byMobile = /* @__PURE__ */ new Map();
      const byStaffSisId = /* @__PURE__ */ new Map();
      const index = (account) => {
        if (account.email !== null) pushTo(byEmail, account.email.toLowerCase(), account);
        if (account.mobilePhone !== null) pushTo(byMobile, account.mobilePhone, account);
        for (const role of account.roles) {
          if (role.role !== "staff") continue;
          for (const id of role.sisIds) {
            const holder = byStaffSisId.get(id);
            if (holder === void 0 || holder.id === account.id || account.id < holder.id) byStaffSisId.set(id, account);
          }
        }
      };
      const unindex = (account) => {
        if (account.email !== null) removeFrom(byEmail, account.email.toLowerCase(), account.id);
        if (account.mobilePhone !== null) removeFrom(byMobile, account.mobilePhone, account.id);
      };
      for (const account of data.accounts.values()) index(account);
      const counts = importStaffRecords(roster2.staff, {
        accountByStaffSisId: (sisId) => byStaffSisId.get(sisId),
        accountsByEmail: (email) => byEmail.get(email.toLowerCase()) ?? [],
        accountsByMobile: (mobile) => byMobile.get(mobile) ?? [],
        write: (account) => {
          const previous = data.accounts.get(account.id);
          if (previous !== void 0) unindex(previous);
          data.accounts.set(account.id, account);
          index(account);
        },
        newAccountId
      });
      return { orgs: roster2.orgs.length, students: roster2.students.length, ...counts };
    },
    async exportRoster() {
      return buildRosterExport({ accounts: data.accounts.values(), links: data.links.values(), students: data.students.values() });
    },
    async listOrgs() {
      return [...data.orgs.values()].map((org) => ({ ...org })).sort((a, b) => compareText(a.id, b.id));
    },
    async close() {
    }
  };
}
function pickFields(fields) {
  return {
    firstName: fields.firstName,
    lastName: fields.lastName,
    email: fields.email,
    mobilePhone: fields.mobilePhone,
    homePhone: fields.homePhone,
    language: fields.language
  };
}
function copyAccount(account) {
  return {
    id: account.id,
    ...pickFields(account),
    claimed: account.claimed,
    roles: account.roles.map((r) => ({ role: r.role, sisIds: sortedSisIds(r.sisIds), status: r.status }))
  };
}
function pushTo(map, key, account) {
  const list = map.get(key);
  if (list === void 0) map.set(key, [account]);
  else list.push(account);
}
function removeFrom(map, key, accountId) {
  const list = map.get(key);
  if (list === void 0) return;
  const kept = list.filter((a) => a.id !== accountId);
  if (kept.length === 0) map.delete(key);
  else map.set(key, kept);
}

// .bench/scratch/prof-f.ts
init_read_guardian_input();

// src/sync/sync-guardians.ts
init_guardian_sync_error();
import { randomUUID as randomUUID3 } from "node:crypto";

// src/model/plan.ts
function isEmptyPlan(plan) {
  return plan.creates.length === 0 && plan.updates.length === 0 && plan.roleAdds.length === 0 && plan.linkAdds.length === 0 && plan.linkRemoves.length === 0 && plan.archives.length === 0 && plan.restores.length === 0;
}

// src/model/report.ts
var EMPTY_COUNTS = Object.freeze({
  rows: 0,
  rowsSkipped: 0,
  guardians: 0,
  accountsCreated: 0,
  accountsUpdated: 0,
  rolesAdded: 0,
  linksAdded: 0,
  linksRemoved: 0,
  guardiansArchived: 0,
  guardiansRestored: 0,
  unchanged: 0
});

// src/model/roster.ts
var LINK_SOURCES = { guardianFile: "guardian-file", oneRoster: "oneroster", manual: "manual" };
function scopeKey(scope2) {
  return `${scope2.level}:${scope2.orgId}`;
}

// src/sync/assemble-report.ts
function mergeRowOutcomes(planned, rejected, parseIssues) {
  const warned = /* @__PURE__ */ new Set();
  for (const issue of parseIssues) if (issue.line !== null && issue.severity !== "info") warned.add(issue.line);
  const out = [];
  let r = 0;
  const pushRejected = (row) => {
    const result = row.issues.some((i) => i.severity === "error") ? "ERROR" : "WARNING";
    out.push({ line: row.line, action: "SKIPPED", result });
  };
  for (const outcome of planned) {
    while (r < rejected.length && rejected[r].line < outcome.line) pushRejected(rejected[r++]);
    out.push(outcome.result === "SUCCESS" && warned.has(outcome.line) ? { ...outcome, result: "WARNING" } : outcome);
  }
  while (r < rejected.length) pushRejected(rejected[r++]);
  return out;
}
function orderIssues(issues) {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
function fileCounts(plan, rejectedRows) {
  return { ...plan.counts, rows: plan.counts.rows + rejectedRows, rowsSkipped: plan.counts.rowsSkipped + rejectedRows };
}
function statusOf(issues, threshold) {
  if (issues.some((i) => i.severity === "error" && i.line === null && i.code !== "THRESHOLD_EXCEEDED")) return "failed";
  if (threshold.exceeded && !threshold.forced) return "failed-threshold";
  return issues.some((i) => i.severity !== "info") ? "succeeded-with-warnings" : "succeeded";
}
function idleThreshold(maxRemovalRatio) {
  return { maxRemovalRatio, removalRatio: 0, archiveRatio: 0, exceeded: false, forced: false };
}
function reportThreshold(threshold) {
  const { forced, ...rest } = threshold;
  return forced ? { ...rest, forced } : rest;
}

// src/sources/read-source-file.ts
init_guardian_sync_error();
import { createHash } from "node:crypto";
async function readSourceFile(file, options = {}) {
  const { maxBytes, signal, onBytes } = options;
  const name = file.name;
  throwIfAborted(signal, name);
  if (maxBytes !== void 0 && file.size > maxBytes) throw tooLarge2(name, file.size, maxBytes);
  const buffer = new Uint8Array(file.size);
  const hash = createHash("sha256");
  let received = 0;
  try {
    for await (const chunk of file.stream({ signal })) {
      throwIfAborted(signal, name);
      if (received + chunk.byteLength > file.size) {
        if (maxBytes !== void 0 && received + chunk.byteLength > maxBytes) throw tooLarge2(name, received + chunk.byteLength, maxBytes);
        throw countMismatch(name, file.size, "more");
      }
      buffer.set(chunk, received);
      hash.update(chunk);
      received += chunk.byteLength;
      onBytes?.(received, file.size);
    }
  } catch (error) {
    if (isGuardianSyncError(error)) throw error;
    if (signal?.aborted === true) throw abortedError(name);
    throw new GuardianSyncError("SOURCE_UNAVAILABLE", `Reading ${name} failed before the end of the file; the run can be retried.`, {
      file: name,
      transient: true
    });
  }
  if (received !== file.size) throw countMismatch(name, file.size, "fewer", received);
  return { bytes: buffer, sha256: hash.digest("hex") };
}
function tooLarge2(name, size2, maxBytes) {
  return new GuardianSyncError("FILE_TOO_LARGE", `${name} is ${size2} bytes, over the limit of ${maxBytes} bytes: check the export, or raise the size limit.`, {
    file: name
  });
}
function countMismatch(name, size2, kind, received) {
  const what = kind === "more" ? `more than the ${size2} bytes announced` : `${received ?? 0} of the ${size2} bytes announced`;
  return new GuardianSyncError("SOURCE_UNAVAILABLE", `Reading ${name} delivered ${what} (the file changed or the transfer broke); the run can be retried.`, {
    file: name,
    transient: true
  });
}

// src/sync/fetch-guardian-input.ts
init_read_guardian_input();
async function fetchGuardianInput(source, options) {
  const { maxBytes, onBytes, onFile, signal, ...readOptions } = options;
  const opened = await source.open({ signal, maxBytes });
  let bytes;
  let sha256;
  try {
    ({ bytes, sha256 } = await readSourceFile(opened, { maxBytes, signal, onBytes }));
  } finally {
    await opened.close();
  }
  const read = { name: opened.name, size: bytes.byteLength, sha256, encoding: "unknown", delimiter: ",", rows: 0 };
  onFile?.(read);
  const input2 = await readGuardianInput(bytes, { ...readOptions, signal, fileName: opened.name });
  return {
    file: { ...read, encoding: input2.encoding, delimiter: input2.delimiter, rows: input2.records },
    input: input2,
    markProcessed: opened.markProcessed?.bind(opened)
  };
}

// src/sync/sync-guardians.ts
init_read_guardian_input();

// src/sync/resolve-sync-options.ts
init_guardian_sync_error();
init_guardian_row();
import { z as z2 } from "zod";
var DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024;
var DEFAULT_LOCK_TTL_MS = 30 * 60 * 1e3;
var level = z2.enum(["district", "school"]);
var columnMapping = z2.partialRecord(z2.enum(GUARDIAN_FIELDS), z2.string().min(1));
var objectWith = (...methods) => z2.custom(
  (value) => typeof value === "object" && value !== null && methods.every((m) => typeof value[m] === "function"),
  { message: `must be an object with ${methods.join(", ")}` }
);
var schema = z2.object({
  scope: z2.object({ level, orgId: z2.string().trim().min(1) }),
  rosterSyncLevel: level.optional(),
  enabled: z2.boolean().optional(),
  source: objectWith("open"),
  store: objectWith("resolveScope", "loadSnapshot", "applyPlan", "acquireLock", "releaseLock", "saveRun"),
  format: z2.enum(["guardians", "oneroster"]).optional(),
  linkSource: z2.string().min(1).optional(),
  maxRemovalRatio: z2.number().min(0).max(1).optional(),
  force: z2.boolean().optional(),
  dryRun: z2.boolean().optional(),
  updateClaimedAccounts: z2.boolean().optional(),
  defaultRegion: z2.string().regex(/^[A-Z]{2}$/, "must be a two-letter region code such as US").optional(),
  encoding: z2.string().min(1).optional(),
  legacyEncoding: z2.string().min(1).optional(),
  columns: columnMapping.optional(),
  maxFileBytes: z2.number().int().positive().optional(),
  lockTtlMs: z2.number().int().positive().optional(),
  logger: objectWith("debug", "info", "warn", "error").optional(),
  signal: z2.instanceof(AbortSignal).optional(),
  onProgress: z2.function().optional(),
  runId: z2.string().min(1).optional()
});
function resolveSyncOptions(options) {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const first2 = parsed.error.issues[0];
    const path = first2?.path.join(".") || "options";
    throw new GuardianSyncError("INVALID_CONFIGURATION", `Invalid sync option "${path}": ${first2?.message ?? "invalid"}.`);
  }
  const rosterSyncLevel = options.rosterSyncLevel ?? options.scope.level;
  if (rosterSyncLevel !== options.scope.level) {
    throw new GuardianSyncError(
      "INVALID_CONFIGURATION",
      `The guardian sync is configured at ${options.scope.level} level but the daily roster sync runs at ${rosterSyncLevel} level: set the guardian sync up at the ${rosterSyncLevel} level too.`
    );
  }
  const format = options.format ?? "guardians";
  return Object.freeze({
    scope: Object.freeze({ level: options.scope.level, orgId: options.scope.orgId.trim() }),
    enabled: options.enabled ?? true,
    source: options.source,
    store: options.store,
    format,
    linkSource: options.linkSource ?? (format === "oneroster" ? LINK_SOURCES.oneRoster : LINK_SOURCES.guardianFile),
    maxRemovalRatio: options.maxRemovalRatio ?? DEFAULT_MAX_REMOVAL_RATIO,
    force: options.force ?? false,
    dryRun: options.dryRun ?? false,
    updateClaimedAccounts: options.updateClaimedAccounts ?? false,
    defaultRegion: options.defaultRegion ?? "US",
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding ?? "windows-1252",
    columns: options.columns === void 0 ? void 0 : Object.freeze({ ...options.columns }),
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    lockTtlMs: options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
    logger: options.logger,
    signal: options.signal,
    onProgress: options.onProgress,
    runId: options.runId
  });
}

// src/sync/until-aborted.ts
init_guardian_sync_error();
function untilAborted(work, signal, during) {
  if (signal === void 0) return work;
  const aborted2 = () => new GuardianSyncError("ABORTED", `The sync was cancelled (or hit its deadline) while ${during}; nothing more was changed.`);
  if (signal.aborted) return Promise.reject(aborted2());
  return new Promise((resolve2, reject) => {
    const onAbort = () => reject(aborted2());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve2(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      }
    );
  });
}

// src/sync/sync-guardians.ts
async function syncGuardians(options) {
  const config = resolveSyncOptions(options);
  const run = new SyncRun(config);
  return run.execute();
}
var SyncRun = class {
  constructor(config) {
    this.config = config;
    this.runId = config.runId ?? randomUUID3();
  }
  config;
  runId;
  startedAt = /* @__PURE__ */ new Date();
  file = null;
  /** The source file's `markProcessed`, kept after the connection is closed, for after apply. */
  pendingMark;
  async execute() {
    const { config } = this;
    if (!config.enabled) {
      this.log("info", { status: "disabled" }, "guardian sync is disabled for this scope; nothing read");
      return this.finish(this.emptyReport("disabled", []));
    }
    let scope2;
    try {
      scope2 = await untilAborted(config.store.resolveScope(config.scope), config.signal, "reading the scope");
    } catch (error) {
      return this.finish(this.failedReport(asRunError(error, "reading the scope")));
    }
    if (scope2 === null) {
      const level2 = config.scope.level === "district" ? "district" : "school";
      return this.finish(
        this.failedReport(
          new GuardianSyncError("SCOPE_NOT_FOUND", `No ${level2} with id "${config.scope.orgId}" in the roster: check the org id the sync is configured for.`)
        )
      );
    }
    this.progress("lock");
    const lockKey = scopeKey(config.scope);
    let locked;
    try {
      locked = await config.store.acquireLock(lockKey, { owner: this.runId, ttlMs: config.lockTtlMs });
    } catch (error) {
      return this.finish(this.failedReport(asRunError(error, "taking the scope lock")));
    }
    if (!locked) {
      return this.finish(
        this.failedReport(new GuardianSyncError("SYNC_IN_PROGRESS", `Another sync of ${lockKey} is running; this run changed nothing. Try again when it finishes.`, { transient: true }))
      );
    }
    try {
      return await this.finish(await this.lockedRun(scope2));
    } finally {
      await config.store.releaseLock(lockKey, this.runId).catch((error) => {
        this.log("warn", { error: safeErrorMessage(error) }, "could not release the scope lock; it expires by itself");
      });
    }
  }
  async lockedRun(scope2) {
    const { config } = this;
    let input2;
    try {
      input2 = await this.fetchAndRead();
    } catch (error) {
      return this.failedReport(asRunError(error, "reading the file"));
    }
    let plan;
    try {
      this.checkAborted();
      this.progress("resolve");
      const snapshot2 = await untilAborted(config.store.loadSnapshot(scope2, { signal: config.signal }), config.signal, "loading the roster");
      this.checkAborted();
      this.progress("plan");
      plan = buildPlan({
        rows: input2.rows,
        snapshot: snapshot2,
        settings: {
          source: config.linkSource,
          updateClaimedAccounts: config.updateClaimedAccounts,
          maxRemovalRatio: config.maxRemovalRatio,
          force: config.force,
          mode: input2.mode
        }
      });
    } catch (error) {
      return this.failedReport(asRunError(error, "loading the roster"), input2);
    }
    const issues = orderIssues([...input2.issues, ...plan.issues]);
    const report = this.reportOf(plan, input2, issues);
    if (config.dryRun) {
      this.log("info", { status: report.status }, "dry run: nothing applied");
      return report;
    }
    if (!isEmptyPlan(plan)) {
      try {
        this.progress("apply");
        this.checkAborted();
        await config.store.applyPlan(plan, { runId: this.runId, signal: config.signal });
      } catch (error) {
        return this.failedReport(asRunError(error, "applying the changes"), input2, plan);
      }
    }
    if (report.status === "succeeded" || report.status === "succeeded-with-warnings") {
      await this.markProcessed();
    }
    return report;
  }
  async fetchAndRead() {
    const { config } = this;
    this.progress("fetch");
    const fetched = await fetchGuardianInput(config.source, {
      format: config.format,
      maxBytes: config.maxFileBytes,
      encoding: config.encoding,
      legacyEncoding: config.legacyEncoding,
      columns: config.columns,
      defaultRegion: config.defaultRegion,
      signal: config.signal,
      onBytes: (done, total) => this.progress("fetch", { bytesDone: done, bytesTotal: total }),
      onFile: (file) => {
        this.file = file;
        this.progress("decode");
      },
      onRecords: (records) => this.progress("parse", { rowsDone: records })
    });
    this.file = fetched.file;
    this.pendingMark = fetched.markProcessed;
    assertHasValidRows(fetched.input, fetched.file.name, config.format);
    return fetched.input;
  }
  async markProcessed() {
    if (this.pendingMark === void 0) return;
    try {
      await this.pendingMark();
    } catch (error) {
      this.log("warn", { error: safeErrorMessage(error) }, "could not move the processed file to the archive folder");
    }
  }
  reportOf(plan, input2, issues) {
    return {
      ...this.reportHead(),
      status: statusOf(issues, plan.threshold),
      counts: fileCounts(plan, input2.rejected.length),
      threshold: reportThreshold(plan.threshold),
      issues,
      rows: mergeRowOutcomes(plan.rows, input2.rejected, input2.issues)
    };
  }
  /** A run that stopped: the error is its first issue; what was read so far is kept. */
  failedReport(error, input2, plan) {
    const issues = orderIssues([error.toIssue(), ...input2?.issues ?? [], ...plan?.issues ?? []]);
    return this.emptyReport("failed", issues, input2, plan);
  }
  emptyReport(status, issues, input2, plan) {
    return {
      ...this.reportHead(),
      status,
      counts: plan !== void 0 && input2 !== void 0 ? fileCounts(plan, input2.rejected.length) : { ...EMPTY_COUNTS, rows: input2?.records ?? 0 },
      threshold: reportThreshold(plan?.threshold ?? idleThreshold(this.config.maxRemovalRatio)),
      issues,
      rows: input2 !== void 0 ? mergeRowOutcomes(plan?.rows ?? [], input2.rejected, input2.issues) : []
    };
  }
  reportHead() {
    return {
      formatVersion: 1,
      runId: this.runId,
      startedAt: this.startedAt.toISOString(),
      finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
      dryRun: this.config.dryRun,
      scope: { level: this.config.scope.level, orgId: this.config.scope.orgId },
      file: this.file
    };
  }
  async finish(built) {
    const report = { ...built, finishedAt: (/* @__PURE__ */ new Date()).toISOString() };
    this.progress("report");
    try {
      await this.config.store.saveRun(report);
    } catch (error) {
      this.log("error", { runId: this.runId, error: safeErrorMessage(error) }, "could not save the run report");
    }
    this.progress("done");
    this.log(report.status === "failed" ? "error" : "info", { runId: report.runId, status: report.status, counts: report.counts }, "guardian sync finished");
    return report;
  }
  checkAborted() {
    if (this.config.signal?.aborted === true) throw new GuardianSyncError("ABORTED", "The sync was cancelled before it finished; nothing more was changed.");
  }
  progress(phase, extra = {}) {
    const listener = this.config.onProgress;
    if (listener === void 0) return;
    try {
      listener({ phase, ...extra });
    } catch {
    }
  }
  log(level2, data, message) {
    this.config.logger?.[level2]({ runId: this.runId, scope: scopeKey(this.config.scope), ...data }, message);
  }
};
function asRunError(error, during) {
  if (isGuardianSyncError(error)) return error;
  if (error instanceof Error && error.name === "AbortError") return new GuardianSyncError("ABORTED", `The sync was cancelled while ${during}; nothing more was changed.`);
  return storeFailure(during, error);
}
function storeFailure(during, error) {
  return new GuardianSyncError("STORE_FAILED", `The roster store failed while ${during}: ${safeErrorMessage(error)}. Running the sync again is safe.`, { transient: true });
}
function safeErrorMessage(error) {
  if (isGuardianSyncError(error)) return error.message;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
  return text.length > 200 ? `${text.slice(0, 200)}\u2026` : text;
}

// bench/dataset.ts
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join as join2 } from "node:path";
var BENCH_DIR = ".bench";
var GENERATOR_VERSION = 2;
function datasetPaths(rows, seed) {
  const dir = join2(BENCH_DIR, `district-${rows}-s${seed}-v${GENERATOR_VERSION}`);
  return {
    dir,
    day1: join2(dir, "day1.csv"),
    day2: join2(dir, "day2.csv"),
    roster: join2(dir, "roster.json"),
    truth: join2(dir, "truth.json"),
    stats: join2(dir, "stats.json")
  };
}
function readRoster(paths2) {
  return JSON.parse(readFileSync(paths2.roster, "utf8"));
}

// .bench/scratch/prof-f.ts
var size = Number(process.argv[2] ?? 1e6);
var paths = datasetPaths(size, 7);
var roster = readRoster(paths);
var scope = { level: "district", orgId: roster.districtId };
var store = createMemoryStore({ initial: { orgs: roster.orgs, students: roster.students } });
await store.importRoster({ orgs: [], students: [], staff: roster.staff });
await syncGuardians({ scope, store, source: createBytesSource({ name: "guardians.csv", bytes: readFileSync2(paths.day1) }) });
store.data.runs.clear();
var input = await readGuardianInput(readFileSync2(paths.day2), { format: "guardians", fileName: "guardians.csv" });
var resolved = await store.resolveScope(scope);
var snapshot = await store.loadSnapshot(resolved);
var session = new Session();
session.connect();
var prof = process.env["PROF"] === "1";
for (let r = 0; r < Number(process.env["RUNS"] ?? 2); r++) {
  globalThis.gc?.();
  if (prof && r === 1) {
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const t = performance.now();
  const c = process.cpuUsage();
  const plan = buildPlan({ rows: input.rows, snapshot, settings: { source: "guardian-file" } });
  const u = process.cpuUsage(c);
  console.log(`buildPlan ${(performance.now() - t).toFixed(0)} ms wall, ${((u.user + u.system) / 1e3).toFixed(0)} ms cpu`, plan.counts.accountsUpdated);
  if (prof && r === 1) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync2(".bench/profiles/f-only.cpuprofile", JSON.stringify(profile));
  }
}
