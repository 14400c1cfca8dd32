// Who is running: the user name that goes into a run's `user:NAME` tag, the default namespace of
// the client API and a @project's user branch. FLOWSPEC_USER wins (Metaflow's METAFLOW_USER): an
// engine that runs tasks as another account (Argo pods) is told the name of the one who deployed.
import { userInfo } from 'node:os';

export function currentUser(): string {
  const fromEnv = process.env.FLOWSPEC_USER;
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The namespace a client script sees by default, as Metaflow's: `user:NAME`. */
export function userNamespace(): string {
  return `user:${currentUser()}`;
}
