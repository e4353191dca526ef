/**
 * .github/workflows/scheduled-deploy.yml, read as data the way workflow.test.ts reads the
 * pull-request workflow: what runs it, what it may do, which actions at which commits, and the
 * order of its commands. The due rule it applies is scripts/rotation-due.ts (rotation-due.test.ts).
 */
import { readWorkflow, workflowText } from './support/workflow-file';

const { text: TEXT, workflow } = readWorkflow('scheduled-deploy.yml');
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((job) => job.steps);
const script = steps.map((s) => s.run ?? '').join('\n');
const pinned = (text: string) =>
  new Map(
    [...text.matchAll(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/gm)].map(([, action, sha, v]) => [
      action,
      `${sha} ${v}`,
    ]),
  );

describe('.github/workflows/scheduled-deploy.yml', () => {
  it('runs on a daily schedule and on demand, nothing else', () => {
    const on = workflow.on as Record<string, any>;
    expect(Object.keys(on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(on.workflow_dispatch.inputs.environments.required).toBe(false);
  });

  it('shares one concurrency group with every deploy and never cancels a running one', () => {
    expect(workflow.concurrency).toEqual({ group: 'botpress-sso-deploy', 'cancel-in-progress': false });
  });

  it('pins every action to a full commit SHA, the same commit as the pull-request workflow', () => {
    const uses = steps.filter((s) => s.uses).map((s) => s.uses as string);
    expect(uses.length).toBe(3);
    for (const line of TEXT.split('\n').filter((l) => /^\s*(-\s*)?uses:/.test(l)))
      expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    const ours = pinned(TEXT);
    const theirs = pinned(workflowText('pull-request.yml'));
    for (const [action, version] of ours) expect({ action, version }).toEqual({ action, version: theirs.get(action) });
  });

  it('installs a pinned Terraform and signs in with OIDC only: id-token write, no secrets', () => {
    expect(workflow.permissions).toEqual({});
    const [deploy] = jobs;
    expect(deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(deploy.if).toContain("vars.AZURE_CLIENT_ID != ''");
    expect(deploy.env).toMatchObject({
      ARM_USE_OIDC: 'true',
      ARM_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}',
      ARM_TENANT_ID: '${{ vars.AZURE_TENANT_ID }}',
    });
    const terraform = steps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform@'));
    expect(terraform?.with).toMatchObject({ terraform_wrapper: false });
    expect(String(terraform?.with?.terraform_version)).toMatch(/\d+\.\d+\.\d+/);
    expect(TEXT).not.toMatch(/secrets\.|ARM_CLIENT_SECRET/);
    for (const step of steps) {
      if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials']).toBe(false);
      expect(step.run ?? '').not.toMatch(/set\s+-[a-wyz]*x|set\s+-o\s+xtrace|bash\s+-x/);
      expect(step.uses ?? '').not.toMatch(/upload-artifact|cache@/);
    }
  });

  it('deploys only environments with shared state, when due or asked for, then verifies each with its outputs', () => {
    const order = [
      'npm ci',
      'env.backend',
      'npm run --silent rotation-due -- "$outputs" "$env"',
      'npx cdktf deploy "$env" --auto-approve',
      'npx cdktf output "$env" --json > "$outputs"',
      'npm run --silent verify -- "$env" --outputs "$outputs"',
      'exit "$failed"',
    ].map((command) => script.lastIndexOf(command));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(script).toMatch(/case " \$REQUESTED " in \*" \$env "\*\) due="requested"/);
  });

  it('fails the job on any failure and writes what happened, verify output included, to the job summary', () => {
    expect(script).toContain('tee -a "$GITHUB_STEP_SUMMARY"');
    expect(script).toMatch(/else result=FAILED; failed=1; fi/);
    expect(script).toMatch(/check=FAILED\n\s+failed=1/);
    expect(script).toMatch(/cat "\$log"; echo '```'; \} \| summary/);
    // The deploy log itself stays off the summary: only resource lines, errors and our own messages.
    expect(script).toMatch(/grep -E '[^']*botpress-azure-sso:' "\$log"/);
  });
});
