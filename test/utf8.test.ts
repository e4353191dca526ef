import fc from 'fast-check';
import { firstInvalidUtf8Offset } from '../app/utf8';

describe('firstInvalidUtf8Offset', () => {
  it('accepts every string Node encodes (well-formed: lone surrogates excluded)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(firstInvalidUtf8Offset(Buffer.from(text, 'utf8'))).toBeUndefined();
      }),
    );
  });

  it('agrees with a fatal TextDecoder on arbitrary bytes, and points at a byte it rejects', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes);
        let valid = true;
        try {
          decoder.decode(bytes);
        } catch {
          valid = false;
        }
        expect(offset === undefined).toBe(valid);
        if (offset !== undefined) {
          // Everything before the offset is well-formed.
          expect(() => decoder.decode(bytes.subarray(0, offset))).not.toThrow();
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['a lone continuation byte', [0x41, 0x80], 1],
    ['an overlong slash', [0x61, 0xc0, 0xaf], 1],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['a truncated sequence at the end', [0x7b, 0xe2, 0x82], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('finds %s', (_name, bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });
});
