// Types of host-tree.js (plain CommonJS, so that the benchmark can require it as it is).

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
export function sha256(data: string | Uint8Array): string;
export function attributesOf(file: string): { uid: number; gid: number; mode: number };
