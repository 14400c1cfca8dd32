// Reads artifact values, keeping recent blobs' bytes (never values, which a step could mutate)
// so the thousands of foreach tasks a warm worker runs do not reread the same list from disk.
import type { Datastore } from '../datastore';
import { deserializeArtifact } from '../datastore/artifacts';
import { DamagedError, isDamaged } from '../errors';

const CACHE_BYTES = 64 * 1024 * 1024;
const LARGEST_CACHED = 16 * 1024 * 1024;

export class BlobReader {
  private cache = new Map<string, Buffer>();
  private cachedBytes = 0;

  constructor(private readonly datastore: Datastore) {}

  bytes(flow: string, hash: string): Buffer {
    const key = `${flow}/${hash}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const bytes = this.datastore.getBlob(flow, hash);
    if (bytes.length <= LARGEST_CACHED) {
      this.cache.set(key, bytes);
      this.cachedBytes += bytes.length;
      for (const [k, b] of this.cache) {
        if (this.cachedBytes <= CACHE_BYTES) break;
        this.cache.delete(k);
        this.cachedBytes -= b.length;
      }
    }
    return bytes;
  }

  /** The value of a blob; a damaged one throws a DamagedError naming `what` (an artifact) and the file. */
  value(flow: string, hash: string, what = `blob ${hash}`): unknown {
    let bytes;
    try {
      bytes = this.bytes(flow, hash);
    } catch (e) {
      if (isDamaged(e))
        throw new DamagedError(`cannot read ${what}: ${e.message}; run flowspec fsck ${flow} --repair, then resume`, e.file);
      throw e;
    }
    return deserializeArtifact(bytes);
  }

  private lists = new Map<string, unknown[]>();

  /**
   * Item `index` of a foreach's iterable. The deserialized list is kept for the next tasks of the
   * same foreach (a warm worker runs many of them); each task gets its own copy of its item.
   */
  foreachItem(flow: string, hash: string, index: number): unknown {
    const key = `${flow}/${hash}`;
    let items = this.lists.get(key);
    if (!items) {
      const bytes = this.bytes(flow, hash);
      items = Array.from(deserializeArtifact(bytes) as Iterable<unknown>);
      if (bytes.length <= LARGEST_CACHED) {
        this.lists.set(key, items);
        if (this.lists.size > 4) this.lists.delete(this.lists.keys().next().value!);
      }
    }
    return structuredClone(items[index]);
  }
}
