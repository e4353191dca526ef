// Types of host-attack.js (plain CommonJS, so that the benchmark can require it as it is).
import type { ProgramResult } from './host-actors';
import type { HostTree } from './host-tree';

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
