import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StageSettings, settingsFor } from '../../config.ts';
import {
  type AnsweredRequest,
  type Gateway,
  type GatewayDecision,
  type GatewayResponse,
  type GatewayService,
  startGateway,
} from './gateway.ts';
import { buildIamModel, type IamModel } from './iam-model.ts';
import { createKeyStore, type KeyStore } from './key-store.ts';
import { buildPersonas, configFile, credentialsFile, loadSeed, type Persona } from './personas.ts';
import { createLocalSts } from './sts.ts';
import { loadStageTemplate } from './template-cache.ts';

/** The public ports (what SDKs and the AWS CLI talk to) and the emulators behind them. */
export type LocalIamOptions = {
  readonly settings: StageSettings;
  readonly region: string;
  readonly account: string;
  readonly host: string;
  readonly dataDir?: string;
  readonly ports: Readonly<Record<GatewayService, number>>;
  readonly upstreams: Readonly<Record<'s3' | 'sqs' | 'dynamodb', number>>;
  /** The Lambda API's answers (the local stack's functions); set once the functions are known. */
  readonly lambda: () => ((request: AnsweredRequest) => Promise<GatewayResponse>) | undefined;
  /** The local Secrets Manager's answers (infra/local/secrets-manager.ts). */
  readonly secretsManager: (request: AnsweredRequest) => Promise<GatewayResponse>;
};

export type LocalIam = {
  readonly model: IamModel;
  readonly keys: KeyStore;
  readonly personas: readonly Persona[];
  /** The AWS shared credentials and config files with a profile per person (`org-{ORG}`, `national`, `feed`, `admin`). */
  readonly credentialsFile: string;
  readonly configFile: string;
  readonly endpoints: Readonly<Record<GatewayService, string>>;
  /** Requests authorised and refused so far, by service. */
  readonly counts: () => { readonly allowed: number; readonly refused: number };
  readonly onDecision: (listener: (decision: GatewayDecision) => void) => void;
  readonly close: () => Promise<void>;
};

/** `arn:aws:s3:::msht-dev-landing/...` names the bucket the template calls `msht-dev-landing-{account}-{region}`. */
const templateNamer = (model: IamModel) => {
  const { account, region } = model.target;
  const suffix = `-${account}-${region}`;
  const buckets = new Set(
    [
      ...model.encryption.buckets.keys(),
      ...[...model.resourcePolicies.keys()].map((arn) => arn.replace(/^arn:[^:]+:s3:::/, '')),
    ].filter((name) => name.endsWith(suffix)),
  );
  return (arn: string): string => {
    const match = /^(arn:[^:]+:s3:::)([^/]+)(.*)$/.exec(arn);
    if (!match) return arn;
    const [, head, bucket, rest] = match as unknown as [string, string, string, string];
    return buckets.has(`${bucket}${suffix}`) ? `${head}${bucket}${suffix}${rest}` : arn;
  };
};

/**
 * Settings whose roles differ from their stage's own (other organisations, principals or push
 * consumers): their template must be synthesized from them. Other differences (tiny timeouts in tests)
 * change no policy, so the stage's template serves them.
 */
const customAccess = (settings: StageSettings): StageSettings | undefined => {
  const own = settingsFor(settings.stage);
  const access = (s: StageSettings) =>
    JSON.stringify([
      s.prefix,
      s.organisations,
      s.nationalTeam,
      s.publicationReaders,
      s.feedConsumers,
      s.pushConsumers,
    ]);
  return access(settings) === access(own) ? undefined : settings;
};

/**
 * IAM for the local stack: the policies of the stage's CDK template (synthesized without bundling and
 * cached, infra/local/iam/template.ts), a key per persona and per function role, and a gateway in front
 * of each emulator that authenticates and authorises every request as AWS would, plus a local STS and
 * the gateways of the Lambda API and the local Secrets Manager.
 */
export const startLocalIam = async (options: LocalIamOptions): Promise<LocalIam> => {
  const { settings, region, account, host } = options;
  const template = await loadStageTemplate(settings.stage, undefined, customAccess(settings));
  const model = buildIamModel(template, { partition: 'aws', region, account });
  const folder = options.dataDir
    ? join(options.dataDir, 'aws')
    : await mkdtemp(join(tmpdir(), 'msht-local-aws-'));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const seed = await loadSeed(options.dataDir ? join(folder, 'seed') : undefined);
  const personas = buildPersonas(model, settings, seed);
  const keys = createKeyStore(personas);
  const credentials = join(folder, 'credentials');
  const config = join(folder, 'config');
  await writeFile(credentials, credentialsFile(personas), { mode: 0o600 });
  await writeFile(config, configFile(personas, region), { mode: 0o600 });

  let allowed = 0;
  let refused = 0;
  const listeners: ((decision: GatewayDecision) => void)[] = [];
  const onDecision = (decision: GatewayDecision): void => {
    if (decision.allowed) allowed++;
    else refused++;
    for (const listener of listeners) listener(decision);
  };
  const templateName = templateNamer(model);
  const sts = createLocalSts({ model, keys, templateName });
  const gateways: Gateway[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
  };
  try {
    const lambda = async (request: AnsweredRequest): Promise<GatewayResponse> => {
      const answer = options.lambda();
      if (!answer) return { status: 503, headers: {}, body: 'The local stack is starting' };
      return answer(request);
    };
    for (const service of ['s3', 'sqs', 'dynamodb', 'sts', 'lambda', 'secretsmanager'] as const) {
      gateways.push(
        await startGateway({
          service,
          host,
          port: options.ports[service],
          ...(service === 'sts'
            ? { answer: sts }
            : service === 'lambda'
              ? { answer: lambda }
              : service === 'secretsmanager'
                ? { answer: options.secretsManager }
                : { upstream: { host, port: options.upstreams[service] } }),
          model,
          keys,
          templateName,
          onDecision,
        }),
      );
    }
  } catch (err) {
    await close();
    throw err;
  }
  const [s3, sqs, dynamodb, stsGateway, lambdaGateway, secretsGateway] = gateways as [
    Gateway,
    Gateway,
    Gateway,
    Gateway,
    Gateway,
    Gateway,
  ];
  const url = (g: Gateway): string => `http://${host}:${g.port}`;
  return {
    model,
    keys,
    personas,
    credentialsFile: credentials,
    configFile: config,
    endpoints: {
      s3: url(s3),
      sqs: url(sqs),
      dynamodb: url(dynamodb),
      sts: url(stsGateway),
      lambda: url(lambdaGateway),
      secretsmanager: url(secretsGateway),
    },
    counts: () => ({ allowed, refused }),
    onDecision: (listener) => listeners.push(listener),
    close,
  };
};
