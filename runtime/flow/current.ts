// `current`: facts about the task that is running, readable anywhere in a step.
import type { CurrentCard } from '../cards/session';
import type { ProjectRecord } from './project';

/** `current.parallel`: where a task of a @parallel step sits in its gang (Metaflow's names, camelCased). */
export interface ParallelInfo {
  /** How many tasks the gang has (numParallel); 1 outside a @parallel step. */
  readonly numNodes: number;
  /** This task's position in the gang, 0 for the main node. */
  readonly nodeIndex: number;
  /** Address of the main node (node 0), for the workers to connect to. */
  readonly mainIp: string;
}

export interface Current {
  readonly isRunning: boolean;
  readonly flowName: string;
  readonly runId: string;
  readonly stepName: string;
  readonly taskId: string;
  readonly pathspec: string;
  readonly retryCount: number;
  readonly originRunId: string | undefined;
  readonly tags: string[];
  readonly parameterNames: string[];
  readonly context: Record<string, unknown>;
  /** True in a task of a @parallel step. */
  readonly isParallel: boolean;
  readonly parallel: ParallelInfo;
  /** The step's card (`@card`): `current.card.append(component)`, `current.card[id]`, `current.card.refresh()`. */
  readonly card: CurrentCard;
  /** `@project`: the project's name; undefined in a flow without @project (so are the four below). */
  readonly projectName: string | undefined;
  /** `@project`: the run's branch, `user.NAME`, `test.B`, `prod` or `prod.B`. */
  readonly branchName: string | undefined;
  /** `@project`: `<project>.<branch>.<Flow>`, the name of the flow's deployment. */
  readonly projectFlowName: string | undefined;
  /** `@project`: the run is on a user's branch (no --branch, no --production). */
  readonly isUserBranch: boolean | undefined;
  /** `@project`: the run is on a production branch (--production). */
  readonly isProduction: boolean | undefined;
}

type ProjectFacts = 'projectName' | 'branchName' | 'projectFlowName' | 'isUserBranch' | 'isProduction';
type CurrentState = Omit<Current, 'isRunning' | 'pathspec' | ProjectFacts> & { project?: ProjectRecord };

let state: CurrentState | undefined;

export function setCurrent(next: CurrentState | undefined): void {
  state = next;
}

function get<K extends keyof CurrentState>(key: K): CurrentState[K] {
  if (!state) throw new Error(`current.${String(key)} is only available while a step runs`);
  return state[key];
}

export const current: Current = {
  get isRunning() {
    return state !== undefined;
  },
  get flowName() {
    return get('flowName');
  },
  get runId() {
    return get('runId');
  },
  get stepName() {
    return get('stepName');
  },
  get taskId() {
    return get('taskId');
  },
  get pathspec() {
    return `${get('flowName')}/${get('runId')}/${get('stepName')}/${get('taskId')}`;
  },
  get retryCount() {
    return get('retryCount');
  },
  get originRunId() {
    return get('originRunId');
  },
  get tags() {
    return get('tags');
  },
  get parameterNames() {
    return get('parameterNames');
  },
  get context() {
    return get('context');
  },
  get isParallel() {
    return get('isParallel');
  },
  get parallel() {
    return get('parallel');
  },
  get card() {
    return get('card');
  },
  get projectName() {
    return get('project')?.name;
  },
  get branchName() {
    return get('project')?.branch;
  },
  get projectFlowName() {
    return get('project')?.flowName;
  },
  get isUserBranch() {
    return get('project')?.isUserBranch;
  },
  get isProduction() {
    return get('project')?.isProduction;
  },
};
