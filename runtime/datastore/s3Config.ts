// Where an S3-compatible datastore is and how to reach it. The root is `s3://bucket/prefix`
// (FLOWSPEC_DATASTORE_ROOT, else `datastore.root` of flowspec.config.json); endpoint, region and
// path style come from the usual AWS environment variables, else from the config file. Credentials
// are never read here: the AWS SDK's default chain finds them (environment, profile, pod identity).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors';

export const CONFIG_FILE = 'flowspec.config.json';

export interface DatastoreConfig {
  root?: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
}

export interface S3Settings {
  bucket: string;
  /** Key prefix without leading or trailing '/', possibly empty. */
  prefix: string;
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
}

export function isS3Root(root: string): boolean {
  return root.startsWith('s3://');
}

/** The `datastore` section of the nearest flowspec.config.json at or above `cwd`, if any. */
export function projectDatastoreConfig(cwd = process.cwd()): DatastoreConfig | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) {
      let parsed: { datastore?: DatastoreConfig };
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`);
      }
      return parsed.datastore;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function s3Settings(root: string, env: NodeJS.ProcessEnv = process.env, config = projectDatastoreConfig()): S3Settings {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(root);
  if (!m || !m[1]) throw new UserError(`'${root}' is not an S3 datastore root: expected s3://BUCKET[/PREFIX]`);
  const pathStyle = env.FLOWSPEC_S3_FORCE_PATH_STYLE ?? env.AWS_S3_FORCE_PATH_STYLE;
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || config?.endpoint || undefined;
  return {
    bucket: m[1],
    prefix: m[2].replace(/^\/+|\/+$/g, ''),
    endpoint,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || config?.region || 'us-east-1',
    // A custom endpoint (MinIO, s3rver, Ceph...) usually has no per-bucket host names.
    forcePathStyle: pathStyle !== undefined ? pathStyle === 'true' || pathStyle === '1' : config?.forcePathStyle ?? endpoint !== undefined,
  };
}
