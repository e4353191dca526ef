import { Job, readWorkflow } from './support/workflow-file';

const { text: TEXT, workflow } = readWorkflow('pull-request.yml');
const jobs = Object.entries(workflow.jobs);
const steps = jobs.flatMap(([, job]) => job.steps);
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

/** Permissions a job may hold, and which job kind may hold each. */
const ALLOWED: Record<string, string[]> = {
  contents: ['read'],
  'pull-requests': ['write', 'read'],
  'id-token': ['write'],
};

describe('.github/workflows/pull-request.yml', () => {
  it('runs on pull requests', () => {
    const on = workflow.on;
    const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on);
    expect(events).toEqual(['pull_request']);
  });

  it('pins every action to a full commit SHA with a version comment', () => {
    const uses = steps.filter((s) => s.uses).map((s) => s.uses as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
    for (const line of TEXT.split('\n').filter((l) => /^\s*(-\s*)?uses:/.test(l))) {
      expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it('grants nothing by default and each job only what it needs', () => {
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of jobs) {
      expect(typeof job.permissions).toBe('object');
      for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
        expect({ name, scope, allowed: ALLOWED[scope]?.includes(level) ?? false }).toEqual({
          name,
          scope,
          allowed: true,
        });
      }
    }
    const withIdToken = jobs
      .filter(([, job]) => (job.permissions as Record<string, string>)['id-token'] === 'write')
      .map(([n]) => n);
    expect(withIdToken).toEqual(['diff']);
    const commenting = jobs
      .filter(([, job]) => (job.permissions as Record<string, string>)['pull-requests'] === 'write')
      .map(([n]) => n);
    expect(commenting).toEqual(['review']);
  });

  it('installs, lints, tests, synthesizes and renders the plan review, in that order', () => {
    const script = runs(workflow.jobs.review);
    const order = [
      'npm ci',
      'npm run lint',
      'npm test',
      'npm run test:proofs',
      'npm run test:consumer',
      'npx cdktf synth',
      'plan-review >',
    ].map((command) => script.indexOf(command));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Without --silent npm writes its "> script" banner into the review.
    expect(script).toMatch(/npm run --silent plan-review >/);
    expect(workflow.env?.CHECKPOINT_DISABLE).toBe('1');
  });

  it('creates or updates its own comment, found by the marker', () => {
    const script = runs(workflow.jobs.review);
    expect(script).toContain('<!-- botpress-azure-sso plan review -->');
    expect(script).toContain('github-actions[bot]');
    expect(script).toMatch(/gh api --method PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id"/);
    expect(script).toMatch(/gh api --method POST "repos\/\$GITHUB_REPOSITORY\/issues\/\$PR_NUMBER\/comments"/);
    const comment = workflow.jobs.review.steps.find((s) => s.run?.includes('--method PATCH'));
    expect(comment?.env?.GH_TOKEN).toBe('${{ github.token }}');
  });

  it('runs the real diff only with OIDC variables, with id-token write and ARM_USE_OIDC', () => {
    const diff = workflow.jobs.diff;
    expect(diff.if).toContain("vars.AZURE_CLIENT_ID != ''");
    expect(diff.if).toContain("vars.AZURE_TENANT_ID != ''");
    expect(diff.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(diff.env).toMatchObject({
      ARM_USE_OIDC: 'true',
      ARM_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}',
      ARM_TENANT_ID: '${{ vars.AZURE_TENANT_ID }}',
    });
    expect(runs(diff)).toContain('npx cdktf diff');
    expect(workflow.jobs.review.if).toBeUndefined();
  });

  it('never traces commands, handles no secrets and uploads nothing', () => {
    for (const step of steps) {
      expect(step.run ?? '').not.toMatch(/set\s+-[a-wyz]*x|set\s+-o\s+xtrace|bash\s+-x/);
      expect(step.uses ?? '').not.toMatch(/upload-artifact|cache@/);
    }
    expect(TEXT).not.toMatch(/secrets\./);
    expect(TEXT).not.toMatch(/ARM_CLIENT_SECRET/);
    for (const step of workflow.jobs.review.steps.concat(workflow.jobs.diff.steps)) {
      if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials']).toBe(false);
    }
  });
});
