// The s3rver process of the tests (see s3server.ts): argv = [folder, bucket]; sends its port over IPC.
// Plain JavaScript on purpose: mocha loads every .ts file under test/scaleout, and this one must
// only ever run as its own process.
'use strict';
const S3rver = require('s3rver');

/**
 * s3rver 3.7.1 lists with a delimiter by walking its folders and skipping every folder below the
 * first delimiter, so `a/` is reported only when an object sits directly at `a/<name>`, not for
 * `a/b/c`. S3, MinIO and the rest report it. This puts the S3 behaviour back: list every key
 * under the prefix and fold them at the delimiter (slower, fine for tests).
 */
function fixDelimiterListing(store) {
  const original = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    if (!options.delimiter) return original(bucket, options);
    const prefix = options.prefix ?? '';
    const all = await original(bucket, { ...options, delimiter: '', maxKeys: Infinity });
    const commonPrefixes = new Set();
    const objects = all.objects.filter((o) => {
      const at = o.key.slice(prefix.length).indexOf(options.delimiter);
      if (at === -1) return true;
      commonPrefixes.add(o.key.slice(0, prefix.length + at + 1));
      return false;
    });
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated: false };
  };
}

async function main() {
  if (!process.send) throw new Error('s3serverProcess.cjs is started by test/scaleout/support/s3server.ts');
  const [directory, bucket] = process.argv.slice(2);
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  fixDelimiterListing(server.store);
  const { port } = await server.run();
  process.send({ port });
  process.on('disconnect', () => process.exit(0));
}

void main();
