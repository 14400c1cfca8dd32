// User tags changed after a run was created (`flowspec tag`, Run.addTag/removeTag/replaceTag).
// run.json is written once, with the tags the run started with; each later change is a record of
// its own under the run, `tags/<time>-<pid>-<random>.json` = { add, remove }, created exclusively
// and never rewritten. A run's user tags are its starting tags with every change applied in name
// (time) order. Two processes changing tags at once each write their own record, so neither change
// is lost, on a local folder and on S3 alike: there is no read-modify-write of a shared document.
// A listing reads the changes of many runs at once (tagChangesOfRuns): one listing per run, made
// concurrently on S3, then every change file in one batch.
// System tags (`user:NAME`, `runtime:node-X`, ...) are the runtime's and cannot be changed.
import { randomBytes } from 'node:crypto';
import { DamagedError, isDamaged, UserError } from '../errors';
import type { Datastore } from './datastore';
import { parseDocument } from './integrity';
import { quoteShort } from './names';
import { keys, RunRecord } from './records';

/** One change of a run's user tags. */
export interface TagChange {
  add: string[];
  remove: string[];
}

/** At most this many characters in a tag (as Metaflow). */
export const MAX_TAG_LENGTH = 500;

/** Throws a UserError when `tag` cannot be a user tag. */
export function checkTag(tag: string): string {
  if (tag.trim() === '') throw new UserError('a tag cannot be empty');
  if (tag.length > MAX_TAG_LENGTH)
    throw new UserError(`tag ${quoteShort(tag)} is ${tag.length} characters long (at most ${MAX_TAG_LENGTH})`);
  if (/[\0-\x1f\x7f]/.test(tag)) throw new UserError(`tag ${quoteShort(tag)} has control characters`);
  return tag;
}

/** The time of this process's last tag change (ms): its next one is named later, even within one millisecond. */
let lastChangeTime = 0;

const tagsKey = (flow: string, runId: string) => `${keys.run(flow, runId)}/tags`;

/** The run's user tags now: those it started with, then every change in order (`changes`: as tagChangesOfRuns read them). */
export function currentUserTags(
  datastore: Datastore,
  run: Pick<RunRecord, 'flow' | 'runId' | 'tags'>,
  changes: TagChange[] = readChanges(datastore, run.flow, run.runId),
): string[] {
  const tags = new Set(run.tags);
  for (const change of changes) {
    for (const t of change.remove) tags.delete(t);
    for (const t of change.add) tags.add(t);
  }
  return [...tags];
}

/** The keys of the run's tag changes, in the order they apply. */
export function tagChangeKeys(datastore: Datastore, flow: string, runId: string): string[] {
  return changeKeysIn(tagsKey(flow, runId), datastore.list(tagsKey(flow, runId)));
}

function changeKeysIn(folder: string, names: string[]): string[] {
  return names.filter((name) => name.endsWith('.json')).map((name) => `${folder}/${name}`);
}

/**
 * One tag change (`bytes`: its file's content, when read already); one that is not `{ add, remove }`
 * lists of strings is damaged (fsck --repair removes it).
 */
export function readTagChange(datastore: Datastore, key: string, bytes?: Buffer): TagChange {
  const file = datastore.localPath(key) ?? `${datastore.location}/${key}`;
  const change = bytes === undefined ? datastore.readJson<TagChange>(key) : parseDocument<TagChange>(bytes, file);
  const list = (v: unknown) => Array.isArray(v) && v.every((t) => typeof t === 'string');
  if (!change || !list(change.add) || !list(change.remove))
    throw new DamagedError(`damaged record ${file}: not a tag change ({ add, remove })`, file);
  return change;
}

/**
 * The tag changes of several runs of `flow` at once, by run id: a listing of each run's changes
 * (concurrent on S3), then every change file in one batch. A run whose changes cannot all be read
 * in this batch (a damaged one, one removed meanwhile, a folder where a file belongs) is left out:
 * reading its tags alone (currentUserTags) then says what is wrong.
 */
export function tagChangesOfRuns(datastore: Datastore, flow: string, runIds: string[]): Map<string, TagChange[]> {
  const folders = runIds.map((id) => tagsKey(flow, id));
  const changeKeys = datastore.listMany(folders).map((names, i) => changeKeysIn(folders[i], names));
  let all: Array<Buffer | undefined>;
  try {
    all = datastore.readFiles(changeKeys.flat());
  } catch (e) {
    if (isDamaged(e)) return new Map();
    throw e;
  }
  const out = new Map<string, TagChange[]>();
  let offset = 0;
  for (const [i, id] of runIds.entries()) {
    const files = all.slice(offset, (offset += changeKeys[i].length));
    try {
      if (files.every((bytes) => bytes !== undefined))
        out.set(
          id,
          changeKeys[i].map((key, j) => readTagChange(datastore, key, files[j])),
        );
    } catch (e) {
      if (!isDamaged(e)) throw e;
    }
  }
  return out;
}

function readChanges(datastore: Datastore, flow: string, runId: string): TagChange[] {
  return tagChangeKeys(datastore, flow, runId).map((key) => readTagChange(datastore, key));
}

/**
 * Records a change of the run's user tags (removals first, then additions: a replace is one
 * change). Refuses system tags. Writes one record and reads none.
 */
export function changeTags(datastore: Datastore, run: RunRecord, change: TagChange): void {
  for (const tag of [...change.add, ...change.remove]) checkTag(tag);
  const system = new Set(run.systemTags);
  const touched = [...change.remove, ...change.add].find((t) => system.has(t));
  if (touched !== undefined)
    throw new UserError(`${quoteShort(touched)} is a system tag of ${run.flow}/${run.runId}: system tags cannot be changed`);
  // Time first, so names sort in the order the changes were made (this process's own changes
  // strictly in order); pid and random bytes keep changes of two processes apart.
  lastChangeTime = Math.max(Date.now(), lastChangeTime + 1);
  const name = `${String(lastChangeTime).padStart(15, '0')}-${process.pid}-${randomBytes(4).toString('hex')}.json`;
  if (!datastore.createExclusive(`${tagsKey(run.flow, run.runId)}/${name}`, change))
    throw new Error(`tag change ${name} of ${run.flow}/${run.runId} exists already`);
}
