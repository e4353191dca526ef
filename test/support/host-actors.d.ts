// Types of host-actors.js (plain CommonJS, so that the benchmark can require it as it is).

export interface Swapper {
  /** Stops it; resolves with the number of exchanges, every real path back in place. */
  stop(): Promise<number>;
}
export function startSwapper(targets: readonly { real: string; linkTo: string }[]): Promise<Swapper>;

export interface Writer {
  arm(command: Record<string, unknown>): Promise<{ done(): Promise<string> }>;
  stop(): Promise<void>;
}
export function startWriter(live: string): Promise<Writer>;

export interface ProgramResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly signal?: string | null;
}
export type ProgramRunner = (env: Record<string, string>, cwd: string, uid?: number) => ProgramResult;
export function inProcessProgram(program: string): ProgramRunner;
export function spawnedProgram(program: string): ProgramRunner;
