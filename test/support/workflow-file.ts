/** A GitHub Actions workflow of this repository, read as data for the workflow tests. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
export interface Job {
  if?: string;
  needs?: string | string[];
  'runs-on'?: string;
  permissions?: Record<string, string> | string;
  env?: Record<string, string>;
  steps: Step[];
}
export interface Workflow {
  on: Record<string, any> | string | string[];
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** The text of `.github/workflows/<name>`. */
export function workflowText(name: string): string {
  return readFileSync(path.join(__dirname, '..', '..', '.github', 'workflows', name), 'utf8');
}

/** `.github/workflows/<name>`: its text and the parsed workflow. */
export function readWorkflow(name: string): { text: string; workflow: Workflow } {
  const text = workflowText(name);
  return { text, workflow: parse(text) as Workflow };
}
