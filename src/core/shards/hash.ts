/** SHA-256 in pure JavaScript (@noble/hashes), incremental so a shard is hashed as its bytes stream past. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface StreamingHash {
  update(bytes: Uint8Array): void;
  /** Lower-case hex; call once, at the end. */
  hex(): string;
}

export function createSha256(): StreamingHash {
  const hash = sha256.create();
  return {
    update: (bytes) => void hash.update(bytes),
    hex: () => bytesToHex(hash.digest()),
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
