// What the extension knows about the project around each workspace folder (its datastore root,
// whether Slurm is at hand), asked of the datastore reader's thread (finding them walks parent
// folders and reads flowspec.config.json, which the extension host's thread must not wait for) and
// cached until invalidate(): client/runs/store.ts calls it when flowspec.config.json, a
// package.json or a `.flowspec/` folder appears, changes or goes, or the setting changes. No vscode
// import: unit-tested in test/client/projectFacts.test.ts.
import type { FolderFacts } from './reader/protocol';

export class ProjectFacts {
  private readonly cache = new Map<string, Promise<FolderFacts>>();
  /** How many times the facts were forgotten: what was started from older facts (the standby spin) is stale. */
  private forgotten = 0;

  constructor(private readonly ask: (folder: string) => Promise<FolderFacts>) {}

  /** The folder's facts: asked once, then cached; a failed answer is asked again next time. */
  of(folder: string): Promise<FolderFacts> {
    const cached = this.cache.get(folder);
    if (cached) return cached;
    const facts = this.ask(folder);
    this.cache.set(folder, facts);
    facts.catch(() => {
      if (this.cache.get(folder) === facts) this.cache.delete(folder);
    });
    return facts;
  }

  /** The datastore a run in `folder` writes to (see client/datastoreRoot.ts). */
  async datastoreRoot(folder: string): Promise<string> {
    return (await this.of(folder)).datastoreRoot;
  }

  /** Forgets every folder's facts: the next question asks again. */
  invalidate(): void {
    this.cache.clear();
    this.forgotten++;
  }

  /** Changes whenever the facts are forgotten (invalidate). */
  get generation(): number {
    return this.forgotten;
  }
}
