// Executes a generated WorkflowTemplate the way Argo's controller would, minus Kubernetes: walks
// the DAGs, resolves `{{...}}` parameters, honours `depends`, `when`, `withParam` fan-out and
// `retryStrategy`, reads output parameters from the files the containers wrote, and runs each
// container's command as a local process (`flowspec` → `node dist/cli.js`) against the datastore
// given in the environment. No cluster is reachable here, so this is how the templates are tested.
//
// Covers the subset of Argo that `flowspec argo create` emits; anything else throws, so a template
// that drifts outside it fails the tests rather than being half-understood. Not covered: retry
// backoff waits (retries run at once), pod-level features (resources, images, envFrom secrets).
// A container variable from a secret's key (secretKeyRef) takes its value from `secrets`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerEnv, DagTask, Template, WorkflowTemplate } from '../../../runtime/argo/workflow';

export interface HarnessOptions {
  cli: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `{{workflow.name}}`. */
  workflowName: string;
  /** Values for the workflow's arguments (default: the template's). */
  parameters?: Record<string, string>;
  /** The cluster's Kubernetes secrets, name → key → value, for `secretKeyRef` entries of a container's env. */
  secrets?: Record<string, Record<string, string>>;
  /** Processes at once (the machine is small and shared). */
  concurrency?: number;
}

export interface PodRun {
  template: string;
  args: string[];
  attempt: number;
  code: number;
  stdout: string;
  stderr: string;
}

export interface HarnessResult {
  succeeded: boolean;
  pods: PodRun[];
  /** Final phase of every DAG task, by path (`main/start`, `main/foreach-start(0)/outer`...). */
  phases: Map<string, Phase>;
}

type Phase = 'Succeeded' | 'Failed' | 'Skipped' | 'Omitted';
type Scope = Record<string, string>;

export async function executeWorkflowTemplate(wt: WorkflowTemplate, options: HarnessOptions): Promise<HarnessResult> {
  return new Harness(wt, options).execute();
}

class Harness {
  private readonly templates = new Map<string, Template>();
  private readonly globals: Scope;
  private readonly pods: PodRun[] = [];
  private readonly phases = new Map<string, Phase>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly wt: WorkflowTemplate,
    private readonly o: HarnessOptions,
  ) {
    for (const t of wt.spec.templates) this.templates.set(t.name, t);
    this.globals = { 'workflow.name': o.workflowName };
    for (const p of wt.spec.arguments.parameters) {
      const value = o.parameters?.[p.name] ?? p.value;
      if (value === undefined) throw new Error(`workflow parameter '${p.name}' has no value`);
      this.globals[`workflow.parameters.${p.name}`] = value;
    }
  }

  async execute(): Promise<HarnessResult> {
    let succeeded = true;
    try {
      await this.run(this.wt.spec.entrypoint, {}, 'main');
    } catch {
      succeeded = false;
    }
    // The exit handler runs whatever happened, as Argo's onExit does.
    if (this.wt.spec.onExit) await this.run(this.wt.spec.onExit, {}, 'exit');
    return { succeeded, pods: this.pods, phases: this.phases };
  }

  private template(name: string): Template {
    const t = this.templates.get(name);
    if (!t) throw new Error(`no template '${name}'`);
    return t;
  }

  /** Runs a template with its input parameters; resolves to its output parameters. */
  private async run(name: string, inputs: Record<string, string>, path: string): Promise<Record<string, string>> {
    const t = this.template(name);
    const scope: Scope = { ...this.globals };
    for (const p of t.inputs?.parameters ?? []) {
      const value = inputs[p.name] ?? p.value;
      if (value === undefined) throw new Error(`${path}: input '${p.name}' of template '${name}' has no value`);
      scope[`inputs.parameters.${p.name}`] = value;
    }
    if (t.dag) {
      await this.dag(t.dag.tasks, scope, path);
      return {};
    }
    if (t.container) return this.container(t, scope);
    throw new Error(`template '${name}' is neither a DAG nor a container`);
  }

  private async dag(tasks: DagTask[], scope: Scope, path: string): Promise<void> {
    const phase = new Map<string, Phase>();
    const outputs = new Map<string, Record<string, string>>();
    const started = new Set<string>();
    const inFlight = new Map<string, Promise<void>>();
    let failed = false;
    const taskScope = (): Scope => {
      const s = { ...scope };
      for (const [task, out] of outputs) for (const [k, v] of Object.entries(out)) s[`tasks.${task}.outputs.parameters.${k}`] = v;
      return s;
    };
    for (;;) {
      for (const task of tasks) {
        if (started.has(task.name) || failed) continue;
        const deps = dependencies(task.depends);
        if (!deps.every((d) => phase.has(d))) continue;
        started.add(task.name);
        const finish = (p: Phase) => {
          phase.set(task.name, p);
          this.phases.set(`${path}/${task.name}`, p);
        };
        if (task.depends && !evaluateDepends(task.depends, phase)) {
          finish('Omitted');
          continue;
        }
        const s = taskScope();
        if (task.when && !evaluateWhen(substitute(task.when, s))) {
          finish('Skipped');
          continue;
        }
        const args = (extra: Scope) =>
          Object.fromEntries((task.arguments?.parameters ?? []).map((p) => [p.name, substitute(p.value ?? '', { ...s, ...extra })]));
        let work: Promise<unknown>;
        if (task.withParam) {
          const items = JSON.parse(substitute(task.withParam, s)) as unknown[];
          if (!Array.isArray(items)) throw new Error(`${path}/${task.name}: withParam is not a JSON list`);
          if (items.length === 0) {
            finish('Skipped');
            continue;
          }
          work = Promise.all(items.map((item, i) => this.run(task.template, args({ item: String(item) }), `${path}/${task.name}(${i})`)));
        } else {
          work = this.run(task.template, args({}), `${path}/${task.name}`).then((out) => {
            outputs.set(task.name, out);
          });
        }
        inFlight.set(
          task.name,
          work
            .then(
              () => finish('Succeeded'),
              () => {
                finish('Failed');
                failed = true;
              },
            )
            .finally(() => inFlight.delete(task.name)),
        );
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
    if (failed) throw new Error(`${path} failed`);
    const stuck = tasks.filter((t) => !phase.has(t.name));
    if (stuck.length) throw new Error(`${path}: tasks never ran: ${stuck.map((t) => t.name).join(', ')}`);
  }

  private async container(t: Template, scope: Scope): Promise<Record<string, string>> {
    const c = t.container!;
    const limit = t.retryStrategy ? Number(t.retryStrategy.limit) : 0;
    for (let attempt = 0; ; attempt++) {
      const dir = mkdtempSync(join(tmpdir(), 'flowspec-pod-'));
      try {
        // Each pod has its own /tmp: give each output file a private path.
        const files = new Map((t.outputs?.parameters ?? []).map((p) => [p.valueFrom.path, join(dir, p.name)]));
        const args = c.args.map((a) => files.get(a) ?? substitute(a, { ...scope, retries: String(attempt) }));
        const [command, ...commandArgs] = c.command[0] === 'flowspec' ? [process.execPath, this.o.cli] : c.command;
        const env = { ...this.o.env, ...Object.fromEntries(c.env.map((e) => [e.name, this.envValue(e)])) };
        const pod = await this.limited(() => runProcess(command, [...commandArgs, ...args], env, this.o.cwd, t.activeDeadlineSeconds));
        this.pods.push({ template: t.name, args, attempt, ...pod });
        if (pod.code === 0) {
          return Object.fromEntries((t.outputs?.parameters ?? []).map((p) => [p.name, readFileSync(files.get(p.valueFrom.path)!, 'utf8')]));
        }
        if (attempt >= limit) throw new Error(`${t.name} failed: ${pod.stderr}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  /** A container variable's value: given, or read from a Kubernetes secret of the harness (an unknown one throws, as the pod would not start). */
  private envValue(e: ContainerEnv): string {
    if ('value' in e) return e.value;
    const { name, key } = e.valueFrom.secretKeyRef;
    const value = this.o.secrets?.[name]?.[key];
    if (value === undefined) throw new Error(`secret ${name} has no key ${key}: the pod cannot start`);
    return value;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= (this.o.concurrency ?? 2)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  deadlineSeconds?: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = deadlineSeconds ? setTimeout(() => child.kill('SIGKILL'), deadlineSeconds * 1000) : undefined;
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Replaces every `{{name}}`; an unknown name is an error, as Argo's validation makes it. */
export function substitute(text: string, scope: Scope): string {
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_m, name: string) => {
    if (!(name in scope)) throw new Error(`unresolved {{${name}}} in '${text}'`);
    return scope[name];
  });
}

/** Task names in a `depends` expression (`a.Succeeded && (b.Succeeded || c.Succeeded)`). */
function dependencies(depends: string | undefined): string[] {
  if (!depends) return [];
  return [...depends.matchAll(/([A-Za-z0-9-]+)(?:\.(\w+))?/g)].map((m) => m[1]);
}

function evaluateDepends(depends: string, phase: Map<string, Phase>): boolean {
  const js = depends.replace(/([A-Za-z0-9-]+)(?:\.(\w+))?/g, (_m, task: string, result?: string) => {
    const p = phase.get(task);
    const wanted = result ?? 'Succeeded';
    if (!['Succeeded', 'Failed', 'Skipped', 'Omitted'].includes(wanted)) throw new Error(`unsupported depends result '${wanted}'`);
    // Plain `task` means Succeeded, Skipped or Daemoned in Argo.
    return String(result ? p === wanted : p === 'Succeeded' || p === 'Skipped');
  });
  if (!/^[\s()truefals&|]*$/.test(js)) throw new Error(`unsupported depends '${depends}'`);
  return Boolean(Function(`return (${js});`)());
}

function evaluateWhen(expression: string): boolean {
  const m = /^\s*'([^']*)'\s*(==|!=)\s*'([^']*)'\s*$/.exec(expression);
  if (!m) throw new Error(`unsupported when '${expression}'`);
  return m[2] === '==' ? m[1] === m[3] : m[1] !== m[3];
}
