import { describeWithEngine, evaluateFiles } from './support/tofu';
import { KNOWN_VALUES, synthStack } from './support/stacks';

const pro = { enabled: true, licenseKey: 'k', collaboratorsAuthStrategies: ['default'] };
describeWithEngine('scratch', () => {
  it('explores', () => {
    const synths = [
      synthStack({ baseConfig: JSON.stringify({ pro, a: 'x${', authStrategies: {} }) }),
      synthStack({ baseConfig: JSON.stringify({ pro }), label: 'x${' }),
    ];
    for (const s of synths) console.log(JSON.stringify(s.json.locals));
    const results = evaluateFiles(synths.map((s) => ({ stack: s.json, values: KNOWN_VALUES })));
    results.forEach((r, i) => console.log(r.files['../../../botpress.config.json']));
  });
});
