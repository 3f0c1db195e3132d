import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { JsonSchema } from '../config/AppConfig.ts';

/** Checks tool arguments against a tool's input schema; returns one message per violation, empty when valid. */
export type ArgumentValidator = (inputSchema: JsonSchema, args: unknown) => string[];

// ajv-formats is CommonJS: Node hands over the plugin itself, the type definitions describe `{ default }`.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv2020) => void;

/**
 * A validator with its own Ajv (JSON Schema 2020-12 dialect, formats such as `date-time` checked) that compiles each
 * input schema on first use and caches it per schema object, so 500 tools cost nothing until they are called.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation
 */
export function createArgumentValidator(): ArgumentValidator {
  // verbose: errors carry their sub-schema, so `not: { type: null }` can be reported as "must not be null".
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false, logger: false, verbose: true });
  addFormats(ajv);
  const compiled = new WeakMap<object, ValidateFunction>();
  return (inputSchema, args) => {
    let validate = compiled.get(inputSchema);
    if (!validate) {
      validate = ajv.compile(inputSchema);
      compiled.set(inputSchema, validate);
    }
    return validate(args ?? {}) ? [] : formatErrors(validate.errors ?? []);
  };
}

let shared: ArgumentValidator | undefined;

/**
 * Validates tool arguments server-side before any upstream call: "/filter/limit: must be <= 2147483647".
 * Uses one shared validator created on first use.
 */
export function validateArguments(inputSchema: JsonSchema, args: unknown): string[] {
  shared ??= createArgumentValidator();
  return shared(inputSchema, args);
}

/**
 * Ajv's errors as `path: rule` lines. A nullable value is `anyOf [X, null]`; when it fails, the "must be null" branch
 * and the anyOf summary only repeat what the X branch already says precisely, so they are left out.
 */
export function formatErrors(errors: readonly ErrorObject[]): string[] {
  const specific = errors.filter((error) => !isNullBranch(error));
  const lines = specific
    .filter((error) => error.keyword !== 'anyOf' || !specific.some((other) => other !== error && isWithin(other.instancePath, error.instancePath) && other.keyword !== 'anyOf'))
    .map(formatError);
  return [...new Set(lines)];
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function isNullBranch(error: ErrorObject): boolean {
  return error.keyword === 'type' && (error.params as { type?: unknown }).type === 'null' && /\/anyOf\/\d+\/type$/.test(error.schemaPath);
}

function formatError(error: ErrorObject): string {
  const path = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${path}: must NOT have additional property "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${path}: must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (error.keyword === 'type') return `${path}: must be ${[params.type].flat().join(' or ')}`;
  if (error.keyword === 'not' && (error.schema as { type?: unknown } | undefined)?.type === 'null') return `${path}: must not be null`;
  return `${path}: ${error.message ?? error.keyword}`;
}
