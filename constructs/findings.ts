/**
 * What the construct reports without stopping synthesis, declared once: each kind of finding
 * has an id, a level and what it is about. The construct collects findings as data
 * (`BotpressAzureSso.findings`); how they are shown (synth annotations, `npm start`, the plan
 * review) is the reporter's business, as in cdk-nag.
 */

export type FindingLevel = 'warning';

export interface FindingKind {
  /** Stable id, for filtering and for the list in docs/development.md. */
  readonly id: string;
  readonly level: FindingLevel;
  /** What the finding is about, in a few words. */
  readonly about: string;
}

export const FINDING_KINDS = {
  collaboratorsEmptied: {
    id: 'BPSSO-W001',
    level: 'warning',
    about: 'removing the strategy empties pro.collaboratorsAuthStrategies',
  },
  proNotEnabled: {
    id: 'BPSSO-W002',
    level: 'warning',
    about: 'pro.enabled is not true, so Botpress loads no SSO strategy',
  },
  plansShowConfigSecrets: {
    id: 'BPSSO-W003',
    level: 'warning',
    about: 'with environment delivery, plans print the config and the other secrets in it',
  },
  adminConsentWithheld: {
    id: 'BPSSO-W004',
    level: 'warning',
    about: 'assignment is required but admin consent is not granted, so users cannot consent (AADSTS65001)',
  },
  workspaceStrategiesEmptied: {
    id: 'BPSSO-W005',
    level: 'warning',
    about: "removing the strategy empties a workspace's authStrategies",
  },
  storedConfigKeeps: {
    id: 'BPSSO-W007',
    level: 'warning',
    about: 'with database storage, the stored config keeps keys that environment variables cannot remove',
  },
  externalUrlEmpty: {
    id: 'BPSSO-W008',
    level: 'warning',
    about: "Botpress's httpServer.externalUrl is empty, so its callback URL depends on EXTERNAL_URL",
  },
  externalUrlDiffers: {
    id: 'BPSSO-W009',
    level: 'warning',
    about: "Botpress's httpServer.externalUrl differs from botpressUrl, so Entra would refuse its callback",
  },
  pathPrefixOnOldBotpress: {
    id: 'BPSSO-W010',
    level: 'warning',
    about: 'botpressUrl has a path prefix and Botpress is older than 12.28.1, where SSO under a prefix is broken',
  },
  secretFileReadableByAll: {
    id: 'BPSSO-W011',
    level: 'warning',
    about:
      'a file that holds the client secret (the config or the env file) will be readable by every user on the host',
  },
  staleStrategy: {
    id: 'BPSSO-W012',
    level: 'warning',
    about:
      'another oauth2 strategy points at this Botpress and Microsoft: an earlier name of the strategy, with its secret',
  },
  localStateReadable: {
    id: 'BPSSO-W013',
    level: 'warning',
    about: 'the local Terraform state, which holds the client secret, is or will be readable by every user on the host',
  },
} as const satisfies Record<string, FindingKind>;

/** One finding: its kind, where it is, what is wrong and the fix. */
export interface SsoFinding {
  readonly id: string;
  readonly level: FindingLevel;
  /** Where: a prop, or a place in a file, in the construct's words (`baseConfig at pro.enabled`). */
  readonly subject: string;
  readonly problem: string;
  readonly fix: string;
  /** The construct that reports it (its path, `platform/botpress_sso`), once the construct has. */
  readonly construct?: string;
}

export function finding(kind: FindingKind, subject: string, problem: string, fix: string): SsoFinding {
  return { id: kind.id, level: kind.level, subject, problem, fix };
}

/** A finding as one line of text, its id last (docs/development.md, "Findings", lists them). */
export function findingText(f: SsoFinding): string {
  return `${f.construct ? `${f.construct}: ` : ''}${f.subject} ${f.problem}. Fix: ${f.fix} [${f.id}]`;
}
