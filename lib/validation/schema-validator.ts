import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * The first of `candidates` that exists, else the first. The compiled library
 * runs from build/lib/validation (in the package and a clone); ts-node runs
 * the sources from lib/validation (`npx cdk8s synth` in a clone).
 */
function firstExisting(...candidates: string[]): string {
  return candidates.find((dir) => fs.existsSync(dir)) ?? candidates[0];
}

/** Folder of the compact CRD schemas that `npm run import` writes. */
const SCHEMA_DIR = firstExisting(path.resolve(__dirname, '..', '..', '..', 'imports', 'schemas'), path.resolve(__dirname, '..', '..', 'imports', 'schemas'));
/** Folder of the validators that `npm run build` precompiles from them. */
const COMPILED_DIR = firstExisting(path.resolve(__dirname, '..', '..', 'validators'), path.resolve(__dirname, '..', '..', 'build', 'validators'));

type Validators = Record<string, ValidateFunction>;

/**
 * Checks manifests against the openAPIV3Schema of the pinned CRDs (unknown
 * fields included). Validators are loaded per API group on first use,
 * precompiled when `npm run build` produced them, else compiled from the schemas.
 */
export class CrdSchemaValidator {
  private static shared?: CrdSchemaValidator;

  /** The process-wide instance (validators are costly to load). */
  public static instance(): CrdSchemaValidator {
    return (CrdSchemaValidator.shared ??= new CrdSchemaValidator());
  }

  private readonly groups = new Map<string, Validators | undefined>();

  /** True when a pinned CRD schema covers `apiVersion`/`kind`. */
  public covers(apiVersion: string, kind: string): boolean {
    return this.find(apiVersion, kind) !== undefined;
  }

  /** Problems of one manifest, one line each; empty when valid or not a pinned CRD kind. */
  public validate(manifest: { apiVersion?: string; kind?: string; [key: string]: unknown }): string[] {
    const validate = this.find(String(manifest.apiVersion), String(manifest.kind));
    if (!validate || validate(manifest)) return [];
    return (validate.errors ?? []).map(describe);
  }

  private find(apiVersion: string, kind: string): ValidateFunction | undefined {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    if (!this.groups.has(group)) this.groups.set(group, load(group));
    return this.groups.get(group)?.[`${apiVersion}/${kind}`];
  }
}

/**
 * Throws when neither the precompiled validators nor the schemas are where the
 * library looks: a broken install would otherwise skip every schema check.
 */
export function checkSchemasInstalled(compiledDir: string = COMPILED_DIR, schemaDir: string = SCHEMA_DIR): void {
  if (!fs.existsSync(compiledDir) && !fs.existsSync(schemaDir)) {
    throw new Error(`cdk8s-maas-egress: the CRD schema validators are missing (looked in ${compiledDir} and ${schemaDir}), `
      + 'so no object could be checked against its CRD; reinstall the package (or run npm run build in a clone)');
  }
}

function load(group: string): Validators | undefined {
  if (!group) return undefined;
  checkSchemasInstalled();
  const compiled = path.join(COMPILED_DIR, `${group}.js`);
  if (fs.existsSync(compiled)) return require(compiled) as Validators;
  const file = path.join(SCHEMA_DIR, `${group}.json`);
  if (!fs.existsSync(file)) return undefined;
  const schemas = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, object>;
  const ajv = createAjv();
  return Object.fromEntries(Object.entries(schemas).map(([key, schema]) => [key, ajv.compile(schema)]));
}

/** The Ajv settings shared by runtime compilation and the build-time precompiler. */
export function createAjv(options: { code?: { source: boolean } } = {}): Ajv {
  return new Ajv({ ...options, strict: false, allErrors: true, validateFormats: false });
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${where}: unknown field "${params.additionalProperty}"`;
  if (error.keyword === 'enum') return `${where}: must be one of ${JSON.stringify(params.allowedValues)}`;
  return `${where}: ${error.message}`;
}
