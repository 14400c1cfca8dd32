// Where an S3-compatible datastore is and how to reach it. The root is `s3://bucket/prefix`
// (FLOWSPEC_DATASTORE_ROOT, else `datastore.root` of flowspec.config.json); endpoint, region and
// path style come from the usual AWS environment variables, else from the config file. Credentials
// are never read here: the AWS SDK's default chain finds them (environment, profile, pod identity).
import { resolve } from 'node:path';
import { loadProjectConfig } from '../config';
import { UserError } from '../errors';

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

/** The `datastore` section of the project's flowspec.config.json, if any; a relative root is made absolute. */
export function projectDatastoreConfig(cwd = process.cwd()): DatastoreConfig | undefined {
  const loaded = loadProjectConfig(cwd);
  const section = loaded?.config.datastore as DatastoreConfig | undefined;
  if (!loaded || !section) return undefined;
  return section.root && !isS3Root(section.root) ? { ...section, root: resolve(loaded.dir, section.root) } : section;
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
    forcePathStyle:
      pathStyle !== undefined ? pathStyle === 'true' || pathStyle === '1' : (config?.forcePathStyle ?? endpoint !== undefined),
  };
}
