// The s3rver process of the tests (see s3server.ts): argv = [folder, bucket]; sends its port over IPC.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

interface ListOptions { delimiter?: string; prefix?: string; startAfter?: string; maxKeys?: number }
interface Listed { objects: Array<{ key: string }>; commonPrefixes: string[]; isTruncated: boolean }

/**
 * s3rver 3.7.1 lists with a delimiter by walking its folders and skipping every folder below the
 * first delimiter, so `a/` is reported only when an object sits directly at `a/<name>`, not for
 * `a/b/c`. S3, MinIO and the rest report it. This puts the S3 behaviour back: list every key
 * under the prefix and fold them at the delimiter (slower, fine for tests).
 */
function fixDelimiterListing(store: { listObjects(bucket: string, o: ListOptions): Promise<Listed> }): void {
  const original = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    if (!options.delimiter) return original(bucket, options);
    const prefix = options.prefix ?? '';
    const all = await original(bucket, { ...options, delimiter: '', maxKeys: Infinity });
    const commonPrefixes = new Set<string>();
    const objects = all.objects.filter((o) => {
      const at = o.key.slice(prefix.length).indexOf(options.delimiter!);
      if (at === -1) return true;
      commonPrefixes.add(o.key.slice(0, prefix.length + at + 1));
      return false;
    });
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated: false };
  };
}

async function main(): Promise<void> {
  const [directory, bucket] = process.argv.slice(2);
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  fixDelimiterListing(server.store);
  const { port } = await server.run();
  process.send!({ port });
  process.on('disconnect', () => process.exit(0));
}

void main();
