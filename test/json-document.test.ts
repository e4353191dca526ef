import { parseJson, renderJsonText, JsonSyntaxError } from '../constructs/json-document';
import { thrownBy } from './support/errors';

describe('parseJson and renderJsonText', () => {
  it('keeps key order, integer-like keys and exact numbers', () => {
    const text = '{"b":1,"10":2,"a":12345678901234567890,"f":1.50,"e":1E+400}';
    expect(renderJsonText(parseJson(text))).toBe(
      '{\n  "b": 1,\n  "10": 2,\n  "a": 12345678901234567890,\n  "f": 1.50,\n  "e": 1E+400\n}\n',
    );
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
