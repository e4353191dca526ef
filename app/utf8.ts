/**
 * Where a file's bytes stop being UTF-8. Botpress reads its config as UTF-8 and Node would put
 * U+FFFD in place of a broken sequence without a word, so synthesis would render (and hash) text
 * the file does not hold; it refuses such a file instead, pointing at the byte. Pure.
 */

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or undefined. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    // Sequence length and the range its second byte must fall in (no overlongs, no surrogates,
    // nothing above U+10FFFF), as in the Unicode standard's table 3-7.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined) return i;
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte < min || byte > max) return i;
    }
    i += length;
  }
  return undefined;
}
