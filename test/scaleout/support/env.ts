// Points this process (the client API the tests call) at the test's S3 server, and back.
import type { S3Server } from './s3server';

export function useS3Env(s3: S3Server): () => void {
  const env = s3.env('unused');
  delete env.FLOWSPEC_DATASTORE_ROOT;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
