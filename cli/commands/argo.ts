// `flowspec argo create FILE`: publishes the flow (code package + graph) to the configured datastore, which must be one the
// cluster reaches (s3://...), and writes an Argo Workflows WorkflowTemplate that runs it there.
import { writeFileSync } from 'node:fs';
import { publishFlow } from '../../runtime/argo/package';
import { loadFlow } from '../../runtime/flowcode/loadFlow';
import { validateFlow } from '../validate';
import { ArgoFlow, workflowTemplate } from '../../runtime/argo/workflow';
import { isS3Root, openDatastore } from '../../runtime/datastore';
import { s3Settings } from '../../runtime/datastore/s3Config';
import { UserError } from '../../runtime/errors';
import type { ParameterDeclaration } from '../../runtime/flow/parameters';
import { Command, CommandGroup, defineSpec, parse, usageError } from '../command';
import { BRANCH_OPTIONS, takeProject } from '../projectBranch';
import { CONFIG_OPTIONS, readRunConfigs, takeConfigArgs } from '../configArgs';
import { currentUser } from '../../runtime/identity';

export const DEFAULT_IMAGE = 'flowspec:latest';

const createSpec = defineSpec({
  name: 'argo create',
  positionals: 'FILE',
  options: {
    flow: { type: 'string', value: 'NAME', help: 'the flow of FILE, when it has several' },
    image: { type: 'string', value: 'IMAGE', help: `the image every task runs in (default ${DEFAULT_IMAGE})` },
    namespace: { type: 'string', value: 'NS', help: "the template's namespace" },
    output: { type: 'string', value: 'out.yaml', short: 'o', help: 'write the template to a file (default: stdout)' },
    name: { type: 'string', value: 'NAME', help: "the template's name (default: the flow's name in kebab case)" },
    env: { type: 'string', value: 'NAME=VALUE', multiple: true, help: 'an environment variable of every task' },
    secret: { type: 'string', value: 'NAME', help: "a Kubernetes secret whose keys are every task's environment" },
    'service-account': { type: 'string', value: 'NAME', help: 'the service account of the pods' },
    'image-pull-policy': { type: 'string', value: 'POLICY', help: 'Always, IfNotPresent or Never' },
    ...BRANCH_OPTIONS,
    ...CONFIG_OPTIONS,
  },
  summary: 'an Argo Workflows `WorkflowTemplate` of the flow',
  details: 'publishes its code package to the datastore (see [Running on Kubernetes](#running-on-kubernetes))',
});

async function create(argv: string[]): Promise<number> {
  const { argv: rest, given: givenConfigs } = takeConfigArgs(argv);
  const { values, positionals } = parse(createSpec, rest);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw usageError(createSpec);
  const datastore = openDatastore();
  const loaded = await loadFlow(file, values.flow as string | undefined, datastore);
  const { project } = takeProject(loaded.info, { branch: values.branch, production: values.production });
  // Read here, resolved into the decorators (retries, deadlines, resources), and handed to init-run.
  const configs = await readRunConfigs(loaded, givenConfigs, values.config, []);
  const { flow, graph, manifest } = publishFlow(datastore, loaded, await validateFlow(loaded));
  const argoFlow: ArgoFlow = {
    flow: flow.info.name,
    sourceFile: manifest.sourceFile,
    codeKey: flow.code.key,
    graph,
    steps: new Map([...flow.info.steps].map(([name, s]) => [name, { isJoin: s.isJoin, meta: s.meta }])),
    configs: configs.map((c) => ({ name: c.decl.name, json: JSON.stringify(c.value) })),
    parameters: flow.info.parameters.map(({ decl }) => ({
      name: decl.name,
      value: defaultText(decl),
      required: decl.required,
      help: decl.help,
    })),
  };
  const template = workflowTemplate(argoFlow, {
    image: (values.image as string | undefined) ?? DEFAULT_IMAGE,
    namespace: values.namespace as string | undefined,
    name: values.name as string | undefined,
    env: containerEnv(datastore.location, (values.env as string[] | undefined) ?? []),
    secret: values.secret as string | undefined,
    ...(project ? { project } : {}),
    serviceAccount: values['service-account'] as string | undefined,
    imagePullPolicy: values['image-pull-policy'] as string | undefined,
  });
  const YAML = await import('yaml');
  const text = YAML.stringify(template, { lineWidth: 0, aliasDuplicateObjects: false });
  // Said once the template exists: bad input stays the one line of its error.
  if (!isS3Root(datastore.location)) {
    process.stderr.write(
      `flowspec: warning: the datastore is the local folder ${datastore.location}, which pods in a cluster cannot reach; set FLOWSPEC_DATASTORE_ROOT=s3://BUCKET/PREFIX (or datastore.root in flowspec.config.json)\n`,
    );
  }
  if (values.output) {
    writeFileSync(values.output as string, text);
    process.stderr.write(
      `Wrote WorkflowTemplate ${template.metadata.name} for ${flow.info.name} to ${values.output} (code package ${flow.code.key} in ${datastore.location}).\n`,
    );
  } else {
    process.stdout.write(text);
  }
  const externals = Object.entries(flow.code.externals ?? {}).map(([name, version]) => `${name}@${version}`);
  if (externals.length)
    process.stderr.write(
      `The image must provide ${externals.join(', ')} (installed with NODE_PATH pointing at them: see docs/scale-out.md).\n`,
    );
  return 0;
}

export const command: CommandGroup = {
  name: 'argo',
  summary: 'Argo Workflows',
  subcommands: [{ spec: createSpec, main: create } satisfies Command],
};

/** A parameter's default as the text `init-run --NAME=TEXT` parses back to the same value. */
function defaultText(decl: ParameterDeclaration): string | undefined {
  const d = decl.default;
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'function') return undefined;
  if (typeof d === 'string') return d;
  if (decl.type === 'json' || typeof d === 'object') return JSON.stringify(d);
  return String(d);
}

/** The datastore root and how to reach it, as this machine sees it; `--env` adds or overrides. */
function containerEnv(root: string, extra: string[]): Array<{ name: string; value: string }> {
  // Runs are the deployer's: their `user:` tag, namespace and @project user branch.
  const env = new Map<string, string>([
    ['FLOWSPEC_DATASTORE_ROOT', root],
    ['FLOWSPEC_USER', currentUser()],
  ]);
  if (isS3Root(root)) {
    const s = s3Settings(root);
    if (s.endpoint) env.set('AWS_ENDPOINT_URL_S3', s.endpoint);
    env.set('AWS_REGION', s.region);
    env.set('FLOWSPEC_S3_FORCE_PATH_STYLE', String(s.forcePathStyle));
  }
  for (const item of extra) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UserError(`--env needs NAME=VALUE, not '${item}'`);
    env.set(item.slice(0, at), item.slice(at + 1));
  }
  return [...env].map(([name, value]) => ({ name, value }));
}
