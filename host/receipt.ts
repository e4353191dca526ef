/**
 * The installer's receipt: a hash chain of every content it replaced, kept beside the stage in
 * the deployer's folder (no secret in it; constructs/private/managed-file.ts says how plans use
 * it). `receipt' = sha256(sha256(replaced content) + receipt)`, hex; "" stands for "no file"
 * when a new file was created. Written only when a file was replaced.
 */
import { createHash } from 'node:crypto';
import { closeSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { withFolder } from './pinned-folder';
import { refusalFrom } from './platform';
import { readRegular } from './regular-file';
import { HostFileRefusal } from './refusal';
import { discardTemp, removeLeftovers, writeTemp } from './temp-file';
import { fsyncFolder } from './sync-folder';

export const RECEIPT_MODE = 0o644;

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The receipt after replacing a content whose SHA-256 is `replacedSha256` ("" for none). Pure. */
export function nextReceipt(replacedSha256: string, receipt: string): string {
  return sha256Hex(replacedSha256 + receipt);
}

/** The receipt's text, "" when there is none yet. */
export function readReceipt(receipt: string): string {
  return withFolder(dirname(receipt), { create: false }, (folder) => {
    if (!folder) return '';
    return readRegular(folder, basename(receipt))?.bytes.toString('utf8') ?? '';
  });
}

/** Extends the receipt by one replacement (temporary file + rename, in its own folder). */
export function extendReceipt(receipt: string, replacedSha256: string): void {
  withFolder(dirname(receipt), { create: false }, (folder) => {
    if (!folder)
      throw new HostFileRefusal(
        'io',
        dirname(receipt),
        'does not exist',
        "keep the receipt's folder (the stage's) in place",
      );
    const name = basename(receipt);
    removeLeftovers(name);
    const last = readRegular(folder, name)?.bytes.toString('utf8') ?? '';
    const temp = writeTemp(folder, name, Buffer.from(nextReceipt(replacedSha256, last)), { mode: RECEIPT_MODE });
    try {
      renameSync(temp.name, name);
      closeSync(temp.fd);
    } catch (error) {
      discardTemp(temp);
      throw refusalFrom(error, receipt);
    }
    fsyncFolder(folder);
  });
}
