import type { CoveredScope } from '@drift-detective/findings';
import { stringList, type JsonObject } from '../decode/values.js';
import { gcpSweepScope } from './sweep-scope.js';

const PROJECT_NAME = /^\/\/cloudresourcemanager\.googleapis\.com\/projects\/([^/]+)$/;

/**
 * The scope of one assetSweep, learnt while it reads (gcpSweepScope with the projects
 * found). `accounts` is null — every account — until a run of the reader has listed the
 * projects under the parent at the sweep's snapshot: runSweep reads it before the reader
 * opens only to send findings left pending by a crash, which is harmless for any account,
 * and reads it again to resolve deletions only after the reader ended, by then exactly the
 * projects of this snapshot, those the sweep read in full. A project seen only in the
 * ancestors of a record listed under the parent is under it too, so it counts.
 */
export class SweptProjectsScope implements CoveredScope {
  readonly provider = 'gcp';
  readonly regions = null;
  readonly kinds: ReadonlySet<string>;
  private projects: Set<string> | null = null;
  private readonly base: ReadonlySet<string>;

  constructor(parent: string, types: readonly string[]) {
    const scope = gcpSweepScope(parent, types);
    this.kinds = scope.kinds ?? new Set();
    this.base = scope.accounts ?? new Set();
  }

  get accounts(): ReadonlySet<string> | null {
    return this.projects;
  }

  /** A run starts over: nothing is known until it lists the projects again. */
  reset(): void {
    this.projects = null;
  }

  /** The Project assets (names only) listed under the parent: the projects it holds. */
  cover(projectAssets: readonly JsonObject[]): void {
    this.projects = new Set(this.base);
    this.see(projectAssets);
    for (const asset of projectAssets) {
      const id = typeof asset['name'] === 'string' ? PROJECT_NAME.exec(asset['name'])?.[1] : null;
      if (id !== undefined && id !== null) this.projects.add(id);
    }
  }

  /** Records listed under the parent: the projects among their ancestors. */
  see(records: readonly JsonObject[]): void {
    if (this.projects === null) return;
    for (const record of records) {
      for (const ancestor of stringList(record['ancestors']) ?? []) {
        if (ancestor.startsWith('projects/')) this.projects.add(ancestor.slice('projects/'.length));
      }
    }
  }
}
