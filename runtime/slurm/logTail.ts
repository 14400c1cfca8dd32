// Follows a task's log files in the datastore as a remote job writes them, so its output reaches
// the console as a local task's does. A folder is read from the last offset on; an object store
// (logs rewritten whole) is read whole and the known part skipped.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { isS3Root, type Datastore } from '../datastore';

export class LogTail {
  private offset = 0;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly datastore: Datastore,
    private readonly key: string,
  ) {}

  /** The text appended since the last call ('' when nothing new). */
  read(): string {
    const bytes = isS3Root(this.datastore.location) ? this.readWhole() : this.readFile();
    if (!bytes?.length) return '';
    this.offset += bytes.length;
    return this.decoder.write(bytes);
  }

  private readWhole(): Buffer | undefined {
    return this.datastore.readFile(this.key)?.subarray(this.offset);
  }

  private readFile(): Buffer | undefined {
    let fd: number;
    try {
      fd = openSync(this.datastore.localPath(this.key)!, 'r');
    } catch {
      return undefined;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return undefined;
      const bytes = Buffer.alloc(size - this.offset);
      const n = readSync(fd, bytes, 0, bytes.length, this.offset);
      return bytes.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
}
