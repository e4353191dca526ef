/**
 * The layering, one rule per sentence (README, "Layout" quotes them). `npm run lint` runs it;
 * a violation message names the rule, so it explains itself. Bottom to top:
 *
 *   host/                 programs that run on the Botpress host, and the safe file access they share
 *   constructs/generated  constructs/input-error.ts  constructs/findings.ts   leaves: import nothing of ours
 *   constructs/text/      text in, text out
 *   constructs/terraform/ Terraform's built-in elements (terraform_data, moved), no provider
 *   constructs/entra/  constructs/botpress/  constructs/placement/   knowledge, side by side
 *   constructs/defaults.ts  constructs/botpress-azure-sso-props.ts   the props' vocabulary
 *   constructs/private/   the construct's steps
 *   constructs/botpress-azure-sso.ts  botpress-sso-stack.ts  index.ts  internal.ts   composition and doors
 *   app/   scripts/   main.ts   the ready app and its tools
 */
const KNOWLEDGE = ['entra', 'botpress', 'placement'];
const LEAVES = '^constructs/(generated/|input-error\\.ts$|findings\\.ts$)';
const COMPOSITION = '^constructs/(botpress-azure-sso|botpress-sso-stack|index|internal)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A module and everything it imports form a tree: no import leads back to where it started.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'host-stands-alone',
      severity: 'error',
      comment:
        'host/ runs on the Botpress host as one bundled program: it uses Node built-ins only, nothing else of ours.',
      from: { path: '^host/' },
      to: { pathNot: ['^host/'], dependencyTypes: ['local', 'npm', 'npm-dev', 'npm-peer', 'npm-optional'] },
    },
    {
      name: 'leaves-import-nothing',
      severity: 'error',
      comment:
        'The error, the findings table and the generated code are the bottom of the library: they import nothing of ours.',
      from: { path: LEAVES },
      to: { path: '^(constructs|app|scripts|host)/|^main\\.ts$' },
    },
    {
      name: 'text-knows-no-domain',
      severity: 'error',
      comment: 'constructs/text/: text in, text out; no Entra, no Botpress, no file placement, no cdktf.',
      from: { path: '^constructs/text/' },
      to: { path: ['^constructs/(?!text/|input-error\\.ts$)', '^node_modules/(cdktf|@cdktf|constructs)/'] },
    },
    {
      name: 'built-ins-know-no-domain',
      severity: 'error',
      comment:
        "constructs/terraform/: Terraform's built-in elements (terraform_data, moved) for every kind of knowledge; they import nothing of ours.",
      from: { path: '^constructs/terraform/' },
      to: { path: '^(constructs|app|scripts|host)/|^main\\.ts$' },
    },
    ...KNOWLEDGE.map((folder) => ({
      name: `${folder}-knowledge-stands-alone`,
      severity: 'error',
      comment: `constructs/${folder}/ imports only itself, constructs/text/, constructs/terraform/ and the leaves: the three kinds of knowledge (Entra, Botpress, file placement) sit side by side, and the construct composes them.`,
      from: { path: `^constructs/${folder}/` },
      to: {
        path: '^constructs/',
        pathNot: [`^constructs/${folder}/`, '^constructs/text/', '^constructs/terraform/', LEAVES],
      },
    })),
    {
      name: 'vocabulary-below-the-steps',
      severity: 'error',
      comment:
        "defaults.ts and the props describe what the construct takes; they import knowledge, never the construct's steps.",
      from: { path: '^constructs/(defaults|botpress-azure-sso-props)\\.ts$' },
      to: { path: ['^constructs/private/', COMPOSITION] },
    },
    {
      name: 'steps-below-the-construct',
      severity: 'error',
      comment: "constructs/private/ holds the construct's steps; only the construct and the doors import them.",
      from: { path: '^constructs/private/' },
      to: { path: COMPOSITION },
    },
    {
      name: 'library-does-no-io',
      severity: 'error',
      comment: "The library takes texts as data; reading and writing files is the app's job.",
      from: { path: '^constructs/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|child_process|http|https|net|os)$' },
    },
    {
      name: 'library-knows-no-app',
      severity: 'error',
      comment: 'The library never imports the app, its tools or the host programs (it embeds their generated text).',
      from: { path: '^constructs/' },
      to: { path: '^(app|scripts|host)/|^main\\.ts$' },
    },
    {
      name: 'app-uses-the-doors',
      severity: 'error',
      comment:
        'Outside constructs/ (tests aside), the library is reached through constructs/index.ts or constructs/internal.ts.',
      from: { path: '^(app|scripts)/|^main\\.ts$' },
      to: { path: '^constructs/', pathNot: '^constructs/(index|internal)\\.ts$' },
    },
    {
      name: 'app-below-its-tools',
      severity: 'error',
      comment: 'app/ turns settings into stacks; the tools in scripts/ build on it, never the other way round.',
      from: { path: '^app/' },
      to: { path: '^scripts/|^main\\.ts$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|cdktf\\.out|test)/' },
  },
};
