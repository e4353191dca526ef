import { parseJson, renderJsonText, JsonSyntaxError } from '../constructs/text/json-document';
import { thrownBy } from './support/errors';

describe('parseJson and renderJsonText', () => {
  it('keeps key order, integer-like keys and exact numbers', () => {
    const text = '{"b":1,"10":2,"a":12345678901234567890,"f":1.50,"e":1E+400}';
    expect(renderJsonText(parseJson(text))).toBe(
      '{\n  "b": 1,\n  "10": 2,\n  "a": 12345678901234567890,\n  "f": 1.50,\n  "e": 1E+400\n}\n',
    );
  });

  it('writes strings back as the file wrote them, escapes included', () => {
    const text = '{\n  "a": "x\\/y",\n  "b": "\\u00e9t\\u00E9",\n  "c": "\\ud83d\\ude00"\n}\n';
    expect(renderJsonText(parseJson(text))).toBe(text);
  });

  it('writes text that Unicode NFC would change with \\u escapes, the same value for JSON.parse', () => {
    const value = { 'e\u0301': 'Cafe\u0301', '\u00e9': 'caf\u00e9' };
    const rendered = renderJsonText(parseJson(JSON.stringify(value)));
    expect(rendered).toBe('{\n  "e\\u0301": "Cafe\\u0301",\n  "\u00e9": "caf\u00e9"\n}\n');
    expect(JSON.parse(rendered)).toEqual(value);
  });

  it('writes what JSON.stringify(value, null, 2) writes for ordinary documents', () => {
    const value = { a: [1, { b: 'x\n"y"\\' }], c: {}, d: [], e: null, f: true, g: 'é\u2028' };
    expect(renderJsonText(parseJson(JSON.stringify(value)))).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it.each([
    ['{"a":1,}', 1, 8],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3],
    ['{"a":"x', 1, 6],
    ['{"a":1,"a":2}', 1, 8],
    ['\ufeff{}', 1, 1],
    ['{} x', 1, 4],
  ])('reports where %j is broken', (text, line, column) => {
    const error = thrownBy(() => parseJson(text));
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ line, column });
  });
});
