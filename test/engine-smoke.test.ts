import { describeWithEngine, evaluateFiles } from './support/tofu';
import { KNOWN_VALUES, synthStack } from './support/stacks';

describeWithEngine('engine smoke', () => {
  it('evaluates the example', () => {
    const { json } = synthStack();
    const [result] = evaluateFiles([{ stack: json, values: KNOWN_VALUES }]);
    const config = JSON.parse(result.files['../../../botpress.config.json']);
    expect(config.authStrategies.azuread.options.clientSecret).toBe(KNOWN_VALUES.clientSecret);
    expect(config.authStrategies.azuread.options.authorizationURL).toBe(`https://login.microsoftonline.com/${KNOWN_VALUES.tenantId}/oauth2/v2.0/authorize`);
  });
});
