// A page of runs that Flow.runs() listed together, and what they read at once for a listing (`flowspec
// runs`, the Runs view): when one of them is first asked for its user tags, the tag changes of every
// run of the page are read in one batch, and likewise the parameter values (the same value read once).
// Over S3 a page of 128 runs then costs a few concurrent batches instead of a round trip per run and value.
// Only what reads well is kept: a run whose files cannot be read here reads them alone, and that
// read says what is wrong, as it would without the page.
import type { Datastore } from '../datastore';
import { sha256 } from '../datastore/integrity';
import { keys } from '../datastore/records';
import { tagChangesOfRuns, TagChange } from '../datastore/tags';
import { isDamaged } from '../errors';
import type { Run } from './run';

export class RunPage {
  private tagChanges?: Map<string, TagChange[]>;
  private values?: Map<string, Buffer>;

  constructor(
    private readonly store: Datastore,
    private readonly flow: string,
    /** The runs of the page, filled in as Flow.runs() makes them. */
    readonly runs: Run[] = [],
  ) {}

  /** The run's tag changes as the page read them, once (a later read of its tags asks the datastore); undefined when not read here. */
  takeTagChanges(runId: string): TagChange[] | undefined {
    this.tagChanges ??= tagChangesOfRuns(
      this.store,
      this.flow,
      this.readable().map(({ run }) => run.id),
    );
    const changes = this.tagChanges.get(runId);
    this.tagChanges.delete(runId);
    return changes;
  }

  /** A stored parameter value's bytes (checked against its hash), or undefined when the page could not read it. */
  parameterValue(hash: string): Buffer | undefined {
    this.values ??= this.readValues();
    return this.values.get(hash);
  }

  /** The values of the page's runs' parameters that their records do not hold, each value once (not an IncludeFile's: it can be large). */
  private readValues(): Map<string, Buffer> {
    const hashes = [
      ...new Set(
        this.readable().flatMap(({ record }) => Object.values(record.parameters).flatMap((p) => (p.file || 'value' in p ? [] : [p.hash]))),
      ),
    ];
    let files: Array<Buffer | undefined>;
    try {
      files = this.store.readFiles(hashes.map((hash) => keys.blob(this.flow, hash)));
    } catch (e) {
      if (isDamaged(e)) return new Map();
      throw e;
    }
    return new Map(hashes.flatMap((hash, i) => (files[i] && sha256(files[i]) === hash ? [[hash, files[i]] as const] : [])));
  }

  /** The runs whose record reads well, with it (another's own reads say what is wrong with it). */
  private readable(): Array<{ run: Run; record: Run['record'] }> {
    return this.runs.flatMap((run) => {
      try {
        return [{ run, record: run.record }];
      } catch {
        return [];
      }
    });
  }
}
