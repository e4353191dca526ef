import { describeWithEngine, evaluateFiles } from './support/tofu';
import { KNOWN_VALUES, synthStack } from './support/stacks';

const pro = { enabled: true, licenseKey: 'k', collaboratorsAuthStrategies: ['default'] };
describeWithEngine('scratch', () => {
  it('explores', () => {
    const weird = '1' + '0'.repeat(300) + 'e-1.8881545897087626e+289';
    const s1 = synthStack({ baseConfig: JSON.stringify({ pro, a: weird }) });
    console.log(JSON.stringify(s1.json.locals).match(/"a.{0,30}[^0]{5,100}/)?.[0]);
    const s = synthStack({ baseConfig: JSON.stringify({ pro, a: 'Cafe\u0301', 'e\u0301': 1, '\u00e9': 2 }) });
    const rs = evaluateFiles([{ stack: s.json, values: KNOWN_VALUES }, { stack: s1.json, values: KNOWN_VALUES }]);
    const text = rs[0].files['../../../botpress.config.json'];
    const i = text.indexOf('"a"');
    console.log(JSON.stringify(text.slice(i, i + 40)), [...text.slice(i, i+40)].map((c) => c.codePointAt(0)!.toString(16)).join(' '));
    const t1 = rs[1].files['../../../botpress.config.json'];
    console.log(t1.match(/"a.{0,30}[^0]{5,100}/)?.[0]);
  });
});
