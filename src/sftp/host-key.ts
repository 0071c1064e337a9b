// Host key pinning: the server's key must match one of the OpenSSH-style `SHA256:`
// fingerprints the host configured (several allowed, so a key can be rotated without a
// failed night). ssh2 accepts any key unless told otherwise; this is the "otherwise".
import { createHash } from 'node:crypto';

const FINGERPRINT = /^SHA256:([A-Za-z0-9+/]{43})=?$/;

/** The OpenSSH fingerprint (`ssh-keygen -l` style, no `=` padding) of a raw public key blob. */
export function fingerprintOf(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Canonical form of a configured fingerprint (Node prints the base64 with a trailing `=`,
 * ssh-keygen without): returns null when it is not a SHA-256 fingerprint at all.
 */
export function normalizeFingerprint(value: string): string | null {
  const match = FINGERPRINT.exec(value.trim());
  return match === null ? null : `SHA256:${match[1] ?? ''}`;
}

export interface HostKeyCheck {
  /** Pass to ssh2 as `hostVerifier`: true when the presented key is pinned. */
  readonly verify: (keyBlob: Buffer) => boolean;
  /** The fingerprint the server presented when it was refused, for the error message. */
  rejected(): string | null;
}

/** A verifier for one connection; `pins` must already be normalized. `null` pins = accept any. */
export function createHostKeyCheck(pins: readonly string[] | null): HostKeyCheck {
  let refused: string | null = null;
  return {
    verify(keyBlob) {
      if (pins === null) return true;
      const presented = fingerprintOf(keyBlob);
      if (pins.includes(presented)) return true;
      refused = presented;
      return false;
    },
    rejected: () => refused,
  };
}
