/**
 * The props' shapes, checked at run time: the compiler checks TypeScript callers, this checks
 * plain JavaScript ones (and `as any`), so that a wrong type is a field/value/fix error rather
 * than a TypeError deep inside synthesis. Typed over every prop, so that a new prop without a
 * shape does not compile. What the values may be beyond their type is the rule table's business
 * (validate-props.ts).
 */
import type {
  AdoptExistingApplication,
  BotpressAzureSsoAccess,
  BotpressAzureSsoProps,
  BotpressAzureSsoProviders,
  BotpressRestart,
} from '../botpress-azure-sso-props';
import { SsoInputError } from '../input-error';
import type { ObservedFile } from '../placement/file-ownership';

/** What a value must be. Every shape but `required` ones may be undefined. */
type Shape =
  | { readonly kind: 'string' | 'boolean' | 'integer' | 'object'; readonly required?: boolean }
  | { readonly kind: 'list'; readonly of: Shape }
  | { readonly kind: 'record'; readonly of: Shape }
  | { readonly kind: 'members'; readonly members: Readonly<Record<string, Shape>>; readonly required?: boolean }
  | { readonly kind: 'one-of'; readonly by: string; readonly cases: Readonly<Record<string, Shape>> };

const string: Shape = { kind: 'string' };
const requiredString: Shape = { kind: 'string', required: true };
const boolean: Shape = { kind: 'boolean' };
const integer: Shape = { kind: 'integer' };
const strings: Shape = { kind: 'list', of: requiredString };
/** A provider is a construct: its shape is cdktf's business, only its presence as an object is ours. */
const provider: Shape = { kind: 'object' };

const members = <T>(shape: { readonly [K in keyof Required<T>]: Shape }, required = false): Shape => ({
  kind: 'members',
  members: shape,
  required,
});

const ADOPT = members<AdoptExistingApplication>(
  {
    applicationObjectId: requiredString,
    servicePrincipalObjectId: string,
    importGraphApiAccess: boolean,
    appRoleAssignments: { kind: 'record', of: requiredString },
    delegatedPermissionGrantId: string,
    owners: strings,
  },
  false,
);

const ACCESS = members<BotpressAzureSsoAccess>({ groups: strings, users: strings, assignmentRequired: boolean });

const OBSERVED_FILE = members<ObservedFile>({
  uid: { kind: 'integer', required: true },
  gid: { kind: 'integer', required: true },
  mode: { kind: 'integer', required: true },
  owner: string,
  group: string,
});

const RESTART = members<BotpressRestart>({ command: requiredString, timeoutSeconds: integer });

const STATE_LOCATION: Shape = {
  kind: 'one-of',
  by: 'backend',
  cases: {
    local: { kind: 'members', members: { backend: requiredString, path: requiredString } },
    azurerm: {
      kind: 'members',
      members: {
        backend: requiredString,
        resourceGroupName: requiredString,
        storageAccountName: requiredString,
        containerName: requiredString,
        key: requiredString,
        useOidc: boolean,
      },
    },
  },
};

const PROVIDERS = members<BotpressAzureSsoProviders>({ azuread: provider, local: provider, time: provider });

const PROP_SHAPES: { readonly [K in keyof Required<BotpressAzureSsoProps>]: Shape } = {
  botpressUrl: requiredString,
  baseConfig: requiredString,
  configFilePath: requiredString,
  strategyName: string,
  signInAudience: string,
  cloud: string,
  tenantId: string,
  displayName: string,
  label: string,
  allowSelfSignup: boolean,
  enabled: boolean,
  secretDelivery: {
    kind: 'one-of',
    by: 'kind',
    cases: {
      'config-file': { kind: 'members', members: { kind: requiredString } },
      environment: { kind: 'members', members: { kind: requiredString, envFilePath: requiredString } },
    },
  },
  botpressStorage: string,
  secretRotationDays: integer,
  restart: RESTART,
  stateLocation: STATE_LOCATION,
  adopt: ADOPT,
  filePermission: string,
  configFileAttributes: OBSERVED_FILE,
  envFileAttributes: OBSERVED_FILE,
  envFileSha256: string,
  stageDirectory: string,
  providers: PROVIDERS,
  access: ACCESS,
  adminConsent: boolean,
  owners: strings,
  workspaces: strings,
  workspacesConfig: string,
  workspacesFilePath: string,
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  object: 'an object',
  list: 'an array',
  record: 'an object',
  members: 'an object',
  'one-of': 'an object',
};

/** The problems of `value` against `shape`, each at its field (`adopt.owners.0`). */
function shapeProblems(value: unknown, shape: Shape, field: string): SsoInputError[] {
  if (value === undefined) {
    const required = 'required' in shape && shape.required;
    return required ? [new SsoInputError(field, undefined, 'is required', `pass ${NAMES[shape.kind]}`)] : [];
  }
  const wrongType = () => [
    new SsoInputError(
      field,
      value,
      `is not ${NAMES[shape.kind]}`,
      `pass ${NAMES[shape.kind]} (see the prop's documentation)`,
    ),
  ];
  switch (shape.kind) {
    case 'string':
      return typeof value === 'string' ? [] : wrongType();
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrongType();
    case 'integer':
      return Number.isInteger(value) ? [] : wrongType();
    case 'object':
      return typeof value === 'object' && value !== null ? [] : wrongType();
    case 'list':
      return Array.isArray(value)
        ? value.flatMap((item, i) => shapeProblems(item, shape.of, `${field}.${i}`))
        : wrongType();
    case 'record':
      return isObject(value)
        ? Object.entries(value).flatMap(([key, item]) => shapeProblems(item, shape.of, `${field}.${key}`))
        : wrongType();
    case 'members':
      return isObject(value) ? membersProblems(value, shape.members, field) : wrongType();
    case 'one-of': {
      if (!isObject(value)) return wrongType();
      const tag = value[shape.by];
      const known = Object.keys(shape.cases);
      if (typeof tag !== 'string' || !Object.hasOwn(shape.cases, tag))
        return [
          new SsoInputError(`${field}.${shape.by}`, tag, 'is not a known kind', `use one of ${known.join(', ')}`),
        ];
      return shapeProblems(value, shape.cases[tag], field);
    }
  }
}

function membersProblems(
  value: Record<string, unknown>,
  shapes: Readonly<Record<string, Shape>>,
  field: string,
): SsoInputError[] {
  const at = (key: string) => (field ? `${field}.${key}` : key);
  const unknown = Object.keys(value)
    .filter((key) => !Object.hasOwn(shapes, key) && value[key] !== undefined)
    .map(
      (key) =>
        new SsoInputError(at(key), value[key], 'is not a known prop', `known here: ${Object.keys(shapes).join(', ')}`),
    );
  return [
    ...unknown,
    ...Object.entries(shapes).flatMap(([key, shape]) =>
      shapeProblems(Object.hasOwn(value, key) ? value[key] : undefined, shape, at(key)),
    ),
  ];
}

/** Every problem with the props' shapes, at once; nothing when `props` has the right shape. */
export function propShapeProblems(props: unknown): SsoInputError[] {
  if (!isObject(props))
    return [new SsoInputError('props', props, 'is not an object', 'pass the props object (BotpressAzureSsoProps)')];
  return membersProblems(props, PROP_SHAPES, '');
}
