import { escapeTemplateLiteral, toTerraformTemplate } from '../constructs/terraform-template';

describe('escapeTemplateLiteral', () => {
  it.each([
    ['plain', 'plain'],
    ['${a}', '$${a}'],
    ['%{ if }', '%%{ if }'],
    ['$${a}', '$$${a}'],
    ['$ { } % {', '$ { } % {'],
    ['x${TfToken[TOKEN.1]}', 'x$${TfToken${"["}TOKEN.1]}'],
    ['#{TfToken[TOKEN.1]}', '#{TfToken${"["}TOKEN.1]}'],
    ['-1.8881545897087626e+289', '-1.8881545897087626${"e"}+289'],
    ['1e+5 and 2.5e10', '1e+5 and 2.5e10'],
    ['1e+300', '1${"e"}+300'],
  ])('%j', (input, expected) => {
    expect(escapeTemplateLiteral(input)).toBe(expected);
  });
});

describe('toTerraformTemplate', () => {
  it('puts holes in as jsonencoded expressions and escapes the text around them', () => {
    const parts = ['{"a": "${x}", "b": ', { kind: 'hole', name: 'secret' } as const, '}'];
    expect(toTerraformTemplate(parts, (name) => `<${name}>`)).toBe('{"a": "$${x}", "b": <secret>}');
  });

  it('refuses a literal that would escape the following interpolation', () => {
    const parts = ['x$', { kind: 'hole', name: 'secret' } as const];
    expect(() => toTerraformTemplate(parts, () => '${v}')).toThrow(/internal/);
  });
});
