/**
 * One environment's part of the plan review: its sections, in reading order, each reading the
 * same context (the settings, the construct's attributes, the config file as it is now).
 */
import { Token } from 'cdktf';
import { settingsFindingText } from '../../app/define-stacks';
import type { LoadedEnvironment } from '../../app/load-settings';
import { describeRotationStatus, RotationStatus } from '../../app/rotation-status';
import { localStateFileName } from '../../app/state-file';
import { type BotpressSsoStack, describeKeptAttributes, parseJson, SSO_DEFAULTS } from '../../constructs/internal';
import { reviewAccess } from './access-section';
import { configDiff, configDiffSection } from './config-diff';
import { environmentVariableLines } from './database-section';
import { code, escapeText, markdown } from './markdown';
import type { ReviewContext } from './review-context';
import { DEPLOYER_TENANT, readable, relative } from './text';

export interface EnvironmentReview {
  /** Secret values of the environment's config, to scrub from the whole text. */
  readonly secrets: readonly string[];
  render(includeDiff: boolean): string[];
}

/** The review of one environment: its secrets (to scrub) and its text, with or without the diff. */
export function reviewEnvironment(
  env: LoadedEnvironment,
  stack: BotpressSsoStack,
  projectDir: string,
  rotation: RotationStatus | undefined,
): EnvironmentReview {
  const databaseEnvFile =
    stack.sso.botpressStorage === 'database' && env.envFile ? relative(projectDir, env.envFile) : undefined;
  const context: ReviewContext = {
    env,
    sso: stack.sso,
    configFile: relative(projectDir, env.configFile),
    current: parseJson(env.baseConfig),
    projectDir,
    databaseEnvFile,
  };
  const diff = configDiff(context);
  const access = reviewAccess(stack.sso, env.workspacesConfig, env.workspacesFile, projectDir);
  const render = (includeDiff: boolean): string[] => [
    ...headingSection(context),
    ...(context.sso.entra
      ? [
          ...entraSection(context),
          ...adoptionSection(context),
          ...endpointsSection(context),
          ...botpressSection(context),
          ...access.entraLines(),
          ...secretDeliverySection(context),
          ...rotationSection(rotation),
        ]
      : removalSection(context)),
    ...warningsSection(context),
    ...configDiffSection(context, diff, includeDiff),
    ...access.fileLines(includeDiff),
  ];
  return { secrets: [...diff.secrets, ...access.secrets], render };
}

function headingSection({ env, sso }: ReviewContext): string[] {
  const backend = env.settings.backend;
  const state = backend
    ? `Azure Storage ${code(`${backend.storageAccountName}/${backend.containerName}`)}`
    : `local file ${code(localStateFileName(env.name))}`;
  return [
    `### Environment ${code(env.name)}: SSO ${sso.entra ? 'enabled' : 'disabled'}`,
    '',
    `Deploy: ${code(`npx cdktf deploy ${env.name}`)}. State: ${state}.`,
    '',
  ];
}

function entraSection({ sso }: ReviewContext): string[] {
  const { cloud, tenantId } = sso.resolved;
  return [
    `**Microsoft Entra ID** (cloud ${code(cloud)}, tenant ${tenantId ? code(tenantId) : 'of the deploying credentials'}):`,
    '',
    ...sso.entraObjects.map((object) => `- ${markdown(object.detail)}`),
    '',
  ];
}

function adoptionSection({ sso }: ReviewContext): string[] {
  const adopted = sso.entraObjects.filter((object) => object.adoption);
  if (adopted.length === 0) return [];
  return [
    '**Adopting an existing app registration** (Terraform imports these instead of creating new ones):',
    '',
    ...adopted.map((object) => `- ${markdown(object.adoption ?? [])}`),
    '',
  ];
}

function endpointsSection({ env, sso }: ReviewContext): string[] {
  const out = [
    `**Callback URL** (Botpress): ${code(sso.callbackUrl)}`,
    '',
    `**Endpoints** in strategy ${code(sso.strategyName)}:`,
    '',
  ];
  out.push(
    `- authorize: ${code(readable(sso.endpoints.authorizationUrl))}`,
    `- token: ${code(readable(sso.endpoints.tokenUrl))}`,
    `- userinfo: ${code(readable(sso.endpoints.userInfoUrl))}`,
  );
  if ([sso.endpoints.authorizationUrl, sso.endpoints.tokenUrl].some((url) => Token.isUnresolved(url))) {
    out.push(
      `- ${code(DEPLOYER_TENANT)} depends on who deploys: the settings name no tenantId, so the deploy fills in the tenant of its Azure credentials. Set ${code(`environments.${env.name}.tenantId`)} to fix it here.`,
    );
  }
  return [...out, ''];
}

function botpressSection({ env, sso, configFile, current, databaseEnvFile }: ReviewContext): string[] {
  if (databaseEnvFile) return environmentVariableLines(sso, current, databaseEnvFile, envFileKept(env));
  const selfSignup = sso.resolved.allowSelfSignup ? 'allowed' : 'not allowed';
  return [
    `**Botpress**: strategy ${code(sso.strategyName)} (oauth2) in ${code(configFile)}, listed in ${code('pro.collaboratorsAuthStrategies')}, ` +
      `with ${code('pro.externalAuth.enabled')} true; self-signup ${selfSignup}.`,
    '',
  ];
}

function secretDeliverySection({ env, sso, configFile, projectDir, databaseEnvFile }: ReviewContext): string[] {
  if (databaseEnvFile)
    return [`**Client secret delivery**: inside ${code('BP_CONFIG_AUTHSTRATEGIES')} in the env file.`, ''];
  if (sso.secretEnvironmentVariable && env.envFile) {
    return [
      `**Client secret delivery**: environment variable ${code(sso.secretEnvironmentVariable)} in the env file ${code(relative(projectDir, env.envFile))} (${envFileKept(env)}); ` +
        "Botpress must start with that file in its environment. The config file's clientSecret only holds a note.",
      '',
    ];
  }
  return [
    `**Client secret delivery**: written into ${code(configFile)} at ${code(`authStrategies.${sso.strategyName}.options.clientSecret`)}.`,
    '',
  ];
}

function rotationSection(rotation: RotationStatus | undefined): string[] {
  if (!rotation) return [];
  return [
    '**Client secret rotation**:',
    '',
    ...describeRotationStatus(rotation).map((line) => `- ${markdown(line)}`),
    '',
  ];
}

/** The env file's owner and mode after the deploy, in words. */
function envFileKept(env: LoadedEnvironment): string {
  return describeKeptAttributes(env.envFileAttributes, undefined, SSO_DEFAULTS.newFileMode);
}

function removalSection({ env, sso, configFile, current, databaseEnvFile }: ReviewContext): string[] {
  if (databaseEnvFile) {
    return [
      'No Entra objects are declared. Deploying destroys the app registration, service principal and client secret that this stack created earlier (if any).',
      '',
      ...environmentVariableLines(sso, current, databaseEnvFile, envFileKept(env)),
    ];
  }
  return [
    `No Entra objects are declared. Deploying destroys the app registration, service principal and client secret that this stack created earlier (if any), and removes strategy ${code(sso.strategyName)} from ${code(configFile)}.`,
    '',
  ];
}

function warningsSection({ sso, env }: ReviewContext): string[] {
  const findings = [...sso.findings, ...env.findings];
  if (findings.length === 0) return [];
  return ['**Warnings**:', '', ...findings.map((f) => `- ${escapeText(readable(settingsFindingText(f)))}`), ''];
}
