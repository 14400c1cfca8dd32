// Compiles a flow into an Argo Workflows `WorkflowTemplate` (plain data; argo.ts writes it as
// YAML). The design, in docs/scale-out.md:
// - one container template per step, running `flowspec step` in the image; a DAG task per step;
// - a first task runs `flowspec init-run` (parameters from the workflow's arguments), the exit
//   handler `flowspec finish-run`; the run id is `argo-{{workflow.name}}`;
// - task ids are positions, not counters: `t` outside any foreach, `t-<i>` for the i-th item of a
//   foreach, `t-<i>-<j>` nested. So every task can name its inputs without asking anyone;
// - a foreach body is a DAG template of its own, fanned out with `withParam` over the JSON list of
//   split indices the split task writes as an output parameter (nested foreach = nested DAGs);
//   the join lists its inputs as `RUN/<last body step>/<id>-[0,1,...]` (runtime/argo/inputPaths.ts);
// - a switch writes the step it chose; each case's task runs `when` it is that step;
// - @retry → retryStrategy, @timeout → activeDeadlineSeconds (plus a grace: the step raises it first), @resources → container resources,
//   @environment → the container's env, @secrets from Kubernetes → secretKeyRef entries of it.
import type { StaticStep } from '../datastore/records';
import type { ResourcesOptions, StepMeta } from '../flow/stepMeta';
import { remoteRetryDelayMinutes, TIMEOUT_KILL_GRACE_MS, timeoutMs } from '../flow/decorators';
import { UserError } from '../errors';
import { FlowGraph } from './graph';
import type { ProjectRecord } from '../flow/project';

export const RUN_ID = 'argo-{{workflow.name}}';
export const FOREACH_INDICES_PATH = '/tmp/flowspec-foreach-indices.json';
export const SWITCH_STEP_PATH = '/tmp/flowspec-switch-step';

export interface ArgoFlow {
  flow: string;
  /** The flow file as given when publishing (only names the flow in `flowspec step FILE`). */
  sourceFile: string;
  /** Datastore key of the published code package. */
  codeKey: string;
  graph: Record<string, StaticStep>;
  steps: Map<string, { isJoin: boolean; meta: StepMeta }>;
  parameters: Array<{ name: string; value?: string; required: boolean; help?: string }>;
  /** The flow's config values as argo create read them (JSON), passed to init-run: a pod has no config files. */
  configs?: Array<{ name: string; json: string }>;
}

export interface ArgoOptions {
  image: string;
  namespace?: string;
  /** metadata.name of the template; default: the flow's name in kebab case. */
  name?: string;
  /** Environment of every container: the datastore root and how to reach it. */
  env: Array<{ name: string; value: string }>;
  /** A @project flow's project and branch: in the template's name, so branches never overwrite each other's. */
  project?: ProjectRecord;
  /** A Kubernetes secret whose keys become environment variables (AWS credentials). */
  secret?: string;
  serviceAccount?: string;
  imagePullPolicy?: string;
}

type Params = Array<{ name: string; value?: string }>;
export interface DagTask {
  name: string;
  template: string;
  depends?: string;
  when?: string;
  withParam?: string;
  arguments?: { parameters: Params };
}
export interface Template {
  name: string;
  inputs?: { parameters: Params };
  outputs?: { parameters: Array<{ name: string; valueFrom: { path: string } }> };
  dag?: { tasks: DagTask[] };
  container?: {
    name: string;
    image: string;
    imagePullPolicy?: string;
    command: string[];
    args: string[];
    env: ContainerEnv[];
    envFrom?: Array<{ secretRef: { name: string } }>;
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  };
  retryStrategy?: { limit: string; retryPolicy: string; backoff?: { duration: string } };
  activeDeadlineSeconds?: number;
}
/** A container's variable: a value, or a reference to a key of a Kubernetes secret (never its value). */
export type ContainerEnv = { name: string; value: string } | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

export interface WorkflowTemplate {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'WorkflowTemplate';
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    entrypoint: string;
    onExit: string;
    serviceAccountName?: string;
    arguments: { parameters: Array<{ name: string; value?: string; description?: string }> };
    templates: Template[];
  };
}

/** A Kubernetes-friendly name: `joinSides` → `join-sides`. */
export function kebab(name: string): string {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'x'
  );
}

export function workflowTemplate(flow: ArgoFlow, options: ArgoOptions): WorkflowTemplate {
  return new Compiler(flow, options).compile();
}

class Compiler {
  private readonly graph: FlowGraph;
  private readonly names = new Map<string, string>();
  private readonly templates: Template[] = [];
  /** Steps that start a foreach body: their task takes a split index. */
  private readonly bodyEntries = new Set<string>();

  constructor(
    private readonly flow: ArgoFlow,
    private readonly options: ArgoOptions,
  ) {
    // A gang needs its pods started together and a way for them to find node 0 (a headless
    // service or a JobSet); the export does not build that yet, so it says so up front.
    for (const [step, { meta }] of flow.steps) {
      if (meta.parallel)
        throw new UserError(
          `step '${step}' of ${flow.flow} is @parallel: gangs of pods (numParallel) are not supported on Argo Workflows yet; run the flow locally with flowspec run`,
        );
    }
    this.graph = new FlowGraph(flow.flow, flow.graph, (s) => flow.steps.get(s)?.isJoin ?? false);
    const taken = new Set(['init-run', 'finish-run', 'main']);
    for (const step of Object.keys(flow.graph)) {
      let name = kebab(step);
      for (let i = 2; taken.has(name) || taken.has(`foreach-${name}`); i++) name = `${kebab(step)}-${i}`;
      taken.add(name);
      this.names.set(step, name);
      if (this.graph.kind(step) === 'foreach') this.bodyEntries.add(this.graph.targets(step)[0]);
    }
  }

  private task(step: string): string {
    return this.names.get(step)!;
  }

  compile(): WorkflowTemplate {
    const { flow, options } = this;
    const main: Template = {
      name: 'main',
      dag: { tasks: [{ name: 'init-run', template: 'init-run' }, ...this.scope('start', undefined, 't')] },
    };
    const steps = Object.keys(flow.graph).map((s) => this.stepTemplate(s));
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: {
        name: options.name ?? templateName(flow.flow, options.project),
        ...(options.namespace ? { namespace: options.namespace } : {}),
        labels: { 'app.kubernetes.io/managed-by': 'flowspec' },
        annotations: {
          'flowspec/flow': flow.flow,
          'flowspec/source': flow.sourceFile,
          'flowspec/code-package': flow.codeKey,
          ...(options.project ? { 'flowspec/project': options.project.name, 'flowspec/branch': options.project.branch } : {}),
        },
      },
      spec: {
        entrypoint: 'main',
        onExit: 'finish-run',
        ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
        arguments: {
          parameters: flow.parameters.map((p) => ({
            name: p.name,
            ...(p.value !== undefined ? { value: p.value } : p.required ? {} : { value: '' }),
            ...(p.help ? { description: p.help } : {}),
          })),
        },
        templates: [main, this.initTemplate(), this.finishTemplate(), ...steps, ...this.templates],
      },
    };
  }

  /**
   * The DAG tasks of one scope: the steps from `entry` up to (not including) `stop`, where each
   * foreach split adds a fan-out task over a DAG template of its body. `id` is the task id of
   * this scope's tasks (`t`, or the body template's input).
   */
  private scope(entry: string, stop: string | undefined, id: string, split?: string): DagTask[] {
    const tasks: DagTask[] = [];
    const seen = new Set<string>();
    const todo = [entry];
    while (todo.length) {
      const step = todo.shift()!;
      if (step === stop || seen.has(step)) continue;
      seen.add(step);
      tasks.push(this.stepTask(step, entry, id, split));
      if (this.graph.kind(step) === 'foreach') {
        tasks.push(this.fanout(step, id));
        todo.push(this.graph.joinOf(step));
      } else {
        todo.push(...this.graph.targets(step));
      }
    }
    return tasks;
  }

  private stepTask(step: string, entry: string, id: string, split: string | undefined): DagTask {
    const params: Params = [{ name: 'task-id', value: id }];
    const task: DagTask = { name: this.task(step), template: `step-${this.task(step)}` };
    const preds = this.graph.preds(step);
    const closes = this.graph.splitOf.get(step);
    if (step === entry && split) {
      params.push(
        { name: 'input-paths', value: `${RUN_ID}/${split}/{{inputs.parameters.parent-task-id}}` },
        { name: 'split-index', value: '{{inputs.parameters.split-index}}' },
      );
    } else if (step === 'start') {
      task.depends = 'init-run.Succeeded';
    } else if (closes && this.graph.kind(closes) === 'foreach') {
      // The last step(s) of the body ran once per index: list them all (alternatives after a switch).
      const indices = `{{tasks.${this.task(closes)}.outputs.parameters.foreach-indices}}`;
      params.push({ name: 'input-paths', value: preds.map((p) => `${RUN_ID}/${p}/${id}-${indices}`).join('|') });
      task.depends = `foreach-${this.task(closes)}.Succeeded`;
    } else if (closes) {
      params.push({ name: 'input-paths', value: preds.map((p) => `${RUN_ID}/${p}/${id}`).join(',') });
      task.depends = preds.map((p) => `${this.task(p)}.Succeeded`).join(' && ');
    } else {
      // One parent; several only after a switch, of which one ran.
      params.push({ name: 'input-paths', value: preds.map((p) => `${RUN_ID}/${p}/${id}`).join('|') });
      task.depends =
        preds.length > 1 ? `(${preds.map((p) => `${this.task(p)}.Succeeded`).join(' || ')})` : `${this.task(preds[0])}.Succeeded`;
      if (preds.length === 1 && this.graph.kind(preds[0]) === 'switch') {
        task.when = `'{{tasks.${this.task(preds[0])}.outputs.parameters.switch-step}}' == '${step}'`;
      }
    }
    task.arguments = { parameters: params };
    return task;
  }

  /** The fan-out of a foreach: its body's DAG template once per split index. */
  private fanout(split: string, id: string): DagTask {
    const body = this.graph.targets(split)[0];
    const name = `foreach-${this.task(split)}`;
    this.templates.push({
      name,
      inputs: { parameters: [{ name: 'task-id' }, { name: 'split-index' }, { name: 'parent-task-id' }] },
      dag: { tasks: this.scope(body, this.graph.joinOf(split), '{{inputs.parameters.task-id}}', split) },
    });
    return {
      name,
      template: name,
      depends: `${this.task(split)}.Succeeded`,
      withParam: `{{tasks.${this.task(split)}.outputs.parameters.foreach-indices}}`,
      arguments: {
        parameters: [
          { name: 'task-id', value: `${id}-{{item}}` },
          { name: 'split-index', value: '{{item}}' },
          { name: 'parent-task-id', value: id },
        ],
      },
    };
  }

  private container(args: string[], meta: StepMeta = { isStep: true }): NonNullable<Template['container']> {
    const { options } = this;
    const { resources } = meta;
    // The step's @environment is in the pod's spec too (as Metaflow's @kubernetes does), so it is
    // set before Node starts (NODE_OPTIONS...); the task sets it again, as on every engine.
    // @secrets from Kubernetes: the pod gets a reference to the secret's key; the task reads the variable.
    const stepVars: ContainerEnv[] = [
      ...Object.entries(meta.environment ?? {}).map(([name, value]) => ({ name, value })),
      ...(meta.secrets ?? [])
        .filter((s) => s.type === 'kubernetes')
        .map((s) => ({ name: s.env, valueFrom: { secretKeyRef: { name: s.id, key: s.key! } } })),
    ];
    const own = new Set(stepVars.map((e) => e.name));
    const env = stepVars.length ? [...options.env.filter((e) => !own.has(e.name)), ...stepVars] : options.env;
    return {
      // Argo calls the container of a pod `main`; Kubernetes' Container schema requires a name.
      name: 'main',
      image: options.image,
      ...(options.imagePullPolicy ? { imagePullPolicy: options.imagePullPolicy } : {}),
      command: ['flowspec'],
      args,
      env,
      ...(options.secret ? { envFrom: [{ secretRef: { name: options.secret } }] } : {}),
      ...(resources ? { resources: containerResources(resources) } : {}),
    };
  }

  private stepTemplate(step: string): Template {
    const { flow } = this;
    const meta = flow.steps.get(step)?.meta ?? { isStep: true };
    const kind = this.graph.kind(step);
    const args = ['step', flow.sourceFile, step, '--flow', flow.flow, '--run-id', RUN_ID, '--task-id', '{{inputs.parameters.task-id}}'];
    const inputs: Params = [{ name: 'task-id' }];
    if (step !== 'start') {
      args.push('--input-paths', '{{inputs.parameters.input-paths}}');
      inputs.push({ name: 'input-paths' });
    }
    if (this.bodyEntries.has(step)) {
      args.push('--split-index', '{{inputs.parameters.split-index}}');
      inputs.push({ name: 'split-index' });
    }
    if (meta.retry?.times) args.push('--retry-count', '{{retries}}');
    const outputs: Array<{ name: string; valueFrom: { path: string } }> = [];
    if (kind === 'foreach') {
      args.push('--foreach-indices-file', FOREACH_INDICES_PATH);
      outputs.push({ name: 'foreach-indices', valueFrom: { path: FOREACH_INDICES_PATH } });
    }
    if (kind === 'switch') {
      args.push('--switch-step-file', SWITCH_STEP_PATH);
      outputs.push({ name: 'switch-step', valueFrom: { path: SWITCH_STEP_PATH } });
    }
    const limit = timeoutMs(meta.timeout);
    return {
      name: `step-${this.task(step)}`,
      inputs: { parameters: inputs },
      ...(outputs.length ? { outputs: { parameters: outputs } } : {}),
      container: this.container(args, meta),
      ...(meta.retry?.times
        ? {
            retryStrategy: {
              limit: String(meta.retry.times),
              retryPolicy: 'Always',
              ...(remoteRetryDelayMinutes(meta.retry) ? { backoff: { duration: `${remoteRetryDelayMinutes(meta.retry)}m` } } : {}),
            },
          }
        : {}),
      // The step raises its own TimeoutError; the deadline kills a pod blocked in native code.
      ...(limit ? { activeDeadlineSeconds: Math.ceil((limit + TIMEOUT_KILL_GRACE_MS) / 1000) } : {}),
    };
  }

  private initTemplate(): Template {
    const { flow, options } = this;
    const params = flow.parameters.map((p) => `--${p.name}={{workflow.parameters.${p.name}}}`);
    // The branch as argo create resolved it; a user branch is the deployer's (FLOWSPEC_USER in env).
    const branch = options.project?.isUserBranch
      ? []
      : options.project?.isProduction
        ? ['--production', ...(options.project.branch === 'prod' ? [] : ['--branch', options.project.branch.slice('prod.'.length)])]
        : options.project
          ? ['--branch', options.project.branch.slice('test.'.length)]
          : [];
    return {
      name: 'init-run',
      container: this.container([
        'init-run',
        '--package',
        flow.codeKey,
        '--flow',
        flow.flow,
        '--run-id',
        RUN_ID,
        '--engine',
        'argo',
        '--empty-means-default',
        ...branch,
        ...(flow.configs ?? []).flatMap((c) => ['--config-value', c.name, c.json]),
        ...params,
      ]),
    };
  }

  private finishTemplate(): Template {
    return { name: 'finish-run', container: this.container(['finish-run', '--flow', this.flow.flow, '--run-id', RUN_ID]) };
  }
}

/**
 * The template's name: the flow's in kebab case; for a @project flow, Metaflow's project flow name
 * `<project>.<branch>.<Flow>` (dots kept, each part in kebab case), so two branches never share one.
 */
export function templateName(flow: string, project: ProjectRecord | undefined): string {
  if (!project) return kebab(flow);
  return [project.name, ...project.branch.split('.'), flow].map(kebab).join('.');
}

/** `@resources({ cpu: 2, memory: 4096 })` → requests (and a memory limit); memory numbers are MB. */
export function containerResources(r: ResourcesOptions): { requests?: Record<string, string>; limits?: Record<string, string> } {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpu !== undefined) requests.cpu = String(r.cpu);
  if (r.memory !== undefined) limits.memory = requests.memory = typeof r.memory === 'number' ? `${r.memory}Mi` : r.memory;
  if (r.gpu) limits['nvidia.com/gpu'] = String(r.gpu);
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) throw new UserError('@resources needs cpu, memory or gpu');
  return { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
}
