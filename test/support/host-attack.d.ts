// Types of host-attack.js (plain CommonJS, so that the benchmark can require it as it is).

export const BOTPRESS_UID: number;

export interface SecretWatch {
  /** Every root-only file read or changed, every entry added to or removed from secret/. */
  problems(): string[];
}

export interface HostTree {
  readonly base: string;
  readonly deploy: string;
  readonly stage: string;
  readonly receipt: string;
  readonly botpress: string;
  readonly data: string;
  readonly global: string;
  readonly live: string;
  readonly backup: string;
  readonly marker: string;
  readonly secretDir: string;
  readonly secretFile: string;
  readonly secretGlobal: string;
  readonly secretData: string;
  readonly secrets: SecretWatch;
  leaks(): string[];
  remove(): void;
}

export function makeHostTree(options?: { root?: string }): HostTree;
export function plantLink(target: string, at: string): void;
export function writeOwned(file: string, text: string, uid: number, mode: number): void;
export function mkdirOwned(dir: string, uid: number, mode: number): void;

export interface Swapper {
  stop(): Promise<number>;
}
export function startSwapper(targets: readonly { real: string; linkTo: string }[]): Promise<Swapper>;

export interface ProgramResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly signal?: string | null;
}
export type ProgramRunner = (env: Record<string, string>, cwd: string, uid?: number) => ProgramResult;
export function inProcessProgram(program: string): ProgramRunner;
export function spawnedProgram(program: string): ProgramRunner;
export function installEnv(tree: HostTree, extra?: Record<string, string>): Record<string, string>;
export function classify(result: ProgramResult): string;

export interface SwapRaceReport {
  readonly runs: number;
  readonly mode: string;
  readonly swaps: number;
  readonly outcomes: Record<string, number>;
  readonly secretProblems: string[];
  readonly leaks: string[];
}
export function measureSwapRaces(options: {
  program: string;
  runs: number;
  mode?: 'in-process' | 'spawn';
}): Promise<SwapRaceReport>;

export interface LostUpdateReport {
  readonly runs: number;
  readonly mode: string;
  readonly writes: number;
  readonly lost: number;
  readonly lostReported: number;
  readonly outcomes: Record<string, number>;
  readonly burst: number;
  readonly maxDelayUs: number;
}
export function measureLostUpdates(options: {
  program: string;
  runs: number;
  mode?: 'in-process' | 'spawn';
  maxDelayUs?: number;
  burst?: number;
  samples?: unknown[];
}): Promise<LostUpdateReport>;
