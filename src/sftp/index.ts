// Entry of the `guardian-sync/sftp` subpath: the SFTP file source. Kept off the main entry
// so hosts that never use SFTP never load ssh2-sftp-client (an optional peer dependency).
export { createSftpSource } from './create-sftp-source.js';
export { parseSftpUrl } from './parse-sftp-url.js';
export type { SftpUrlParts } from './parse-sftp-url.js';
export { fingerprintOf, normalizeFingerprint } from './host-key.js';
export type { DoneMarkerMode, SftpSourceOptions } from './sftp-source-options.js';
export type { SftpClient, SftpClientFactory, SftpConnectConfig, SftpFileStats, SftpListEntry } from './sftp-client.js';
