import { escapeTemplateLiteral, toTerraformTemplateChunks } from '../constructs/text/terraform-template';

describe('escapeTemplateLiteral', () => {
  it.each([
    ['plain', 'plain'],
    ['${a}', '${"$"}{a}'],
    ['%{ if }', '${"%"}{ if }'],
    ['$${a}', '${"$$"}{a}'],
    ['$%{a}', '${"$%"}{a}'],
    ['%%{a}', '${"%%"}{a}'],
    ['$ { } % {', '$ { } % {'],
    ['x${TfToken[TOKEN.1]}', 'x${"$"}{TfToken${"["}TOKEN.1]}'],
    ['#{TfToken[TOKEN.1]}', '#{TfToken${"["}TOKEN.1]}'],
    ['-1.8881545897087626e+289', '-1.8881545897087626${"e"}+289'],
    ['1e+5 and 2.5e10', '1e+5 and 2.5e10'],
    ['1e+300', '1${"e"}+300'],
    [`1${'0'.repeat(300)}e-8.10956221259138e+298`, `1${'0'.repeat(300)}\${"e"}-8.10956221259138\${"e"}+298`],
  ])('%j', (input, expected) => {
    expect(escapeTemplateLiteral(input)).toBe(expected);
  });
});

describe('toTerraformTemplateChunks', () => {
  it('puts holes in as jsonencoded expressions and escapes the text around them', () => {
    const parts = ['{"a": "${x}", "b": ', { kind: 'hole', name: 'secret' } as const, '}'];
    expect(toTerraformTemplateChunks(parts, (name) => `<${name}>`)).toEqual(['{"a": "${"$"}{x}", "b": <secret>}']);
  });

  it('cuts the text after a newline once a chunk reaches the chunk size, and loses nothing', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i} \${x}`).join('\n') + '\n';
    const parts = [text.slice(0, 200), { kind: 'hole', name: 'h' } as const, text.slice(200)];
    const chunks = toTerraformTemplateChunks(parts, () => 'H', 64);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.endsWith('\n')).toBe(true);
    expect(chunks.join('')).toBe(`${text.slice(0, 200)}H${text.slice(200)}`.replace(/\$\{/g, () => '${"$"}{'));
  });

  it('refuses a literal that would escape the following interpolation', () => {
    const parts = ['x$', { kind: 'hole', name: 'secret' } as const];
    expect(() => toTerraformTemplateChunks(parts, () => '${v}')).toThrow(/internal/);
  });
});
