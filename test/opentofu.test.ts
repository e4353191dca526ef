/**
 * cdktf is archived upstream and many teams run the synthesized JSON with OpenTofu. Keep
 * cdk.tf.json to what OpenTofu 1.6 understands: no Terraform-only blocks or functions.
 */
import { synthStack } from './support/stacks';

const OPENTOFU_1_6_BLOCKS = [
  '//',
  'data',
  'import',
  'locals',
  'moved',
  'output',
  'provider',
  'resource',
  'terraform',
  'variable',
];
const VARIANTS = {
  default: {},
  environment: { secretDelivery: { kind: 'environment', envFilePath: 'bp.env' } },
  disabled: { enabled: false },
  adopt: {
    adopt: {
      applicationObjectId: '0f0f0f0f-1111-2222-3333-444444444444',
      servicePrincipalObjectId: '0f0f0f0f-1111-2222-3333-444444444445',
    },
  },
} as const;

describe.each(Object.entries(VARIANTS))('the %s stack under OpenTofu 1.6', (_name, props) => {
  const { json, text } = synthStack(props as object);

  it('uses only blocks OpenTofu 1.6 knows', () => {
    expect(Object.keys(json).filter((block) => !OPENTOFU_1_6_BLOCKS.includes(block))).toEqual([]);
  });

  it('uses no Terraform-only features', () => {
    // removed blocks (1.7), ephemeral resources (1.10), provider-defined functions (1.8)
    expect(text).not.toMatch(/"removed"|"ephemeral"|provider::/);
    for (const imported of (json.import ?? []) as Array<Record<string, unknown>>) {
      expect(Object.keys(imported).sort()).toEqual(['id', 'provider', 'to'].filter((k) => k in imported).sort());
      expect(imported.for_each).toBeUndefined(); // import for_each is Terraform 1.7+
    }
  });

  it('takes providers from namespaces the OpenTofu registry mirrors', () => {
    const sources = Object.values(json.terraform.required_providers as Record<string, { source: string }>).map(
      (p) => p.source,
    );
    for (const source of sources) expect(source).toMatch(/^hashicorp\/(azuread|local|time)$/);
  });
});
