import {
  GraphQLError,
  Kind,
  KnownTypeNamesRule,
  parse,
  Source,
  specifiedRules,
  validate,
  type ASTVisitor,
  type ASTVisitFn,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { ApiConfig, Problem } from '../config/AppConfig.ts';
import type { OperationTool } from './OperationTool.ts';
import { isValidToolName, operationToTool } from './operationToTool.ts';

/** One operations document: a `.graphql` file, or one operation body of a persisted-query manifest. */
export interface OperationDocument {
  file: string;
  text: string;
  /** Where in `file` the text sits when it is not the whole file, e.g. `operations[3]` of a manifest. */
  key?: string;
}

export interface BuildToolsOptions {
  /**
   * The tools this API serves now (hot reload). One of them keeps its name while its file still declares the
   * operation (or cannot be parsed to tell); a same-named operation elsewhere is refused, so an edit never renames.
   */
  serving?: readonly OperationTool[];
}

export interface BuiltTools {
  tools: OperationTool[];
  problems: Problem[];
}

interface ParsedDocument {
  document: OperationDocument;
  /** This document's own fragments: they win over same-named ones elsewhere (manifest bodies each carry theirs). */
  fragments: Map<string, FragmentDefinitionNode>;
  operations: OperationDefinitionNode[];
}

/** A named or anonymous operation with exactly the fragments it uses (transitively), before any check. */
interface Candidate {
  operation: OperationDefinitionNode;
  document: OperationDocument;
  fragments: FragmentDefinitionNode[];
}

// Texts (operation + fragments) already found valid against a schema: hot reload re-runs buildTools on every edit.
const validTexts = new WeakMap<GraphQLSchema, Set<string>>();
const maxCachedTexts = 20_000;

/**
 * The pure part of loading operations: parses, validates against the schema and converts every named operation
 * into a tool. Bad operations are reported (file, line, reason) and skipped; the rest are served. Fragments from any
 * document may be used; each tool gets exactly the fragments its operation uses, transitively.
 */
export function buildTools(documents: readonly OperationDocument[], schema: GraphQLSchema, api: ApiConfig, options: BuildToolsOptions = {}): BuiltTools {
  const problems: Problem[] = [];
  const report = (problem: Omit<Problem, 'api'>) => problems.push({ ...problem, api: api.name });
  const parsed = documents.flatMap((document) => parseDocument(document, report));
  const shared = collectFragments(parsed, report);
  const candidates = parsed.flatMap(({ document, fragments, operations }): Candidate[] => {
    const lookup = (name: string) => fragments.get(name) ?? shared.get(name);
    return operations.map((operation) => ({ operation, document, fragments: fragmentsUsedBy(operation, lookup) }));
  });
  validateTogether(candidates.filter((candidate) => !skipReason(candidate.operation, api)), schema);
  const tools: OperationTool[] = [];
  for (const candidate of candidates) {
    const tool = buildTool(candidate, schema, api, report);
    if (tool) tools.push(tool);
  }
  return { tools: refuseDuplicates(tools, declaredOperations(documents, parsed), options.serving ?? [], report), problems };
}

/** Per file, the operation names it declares, valid or not; a file that does not parse declares every name. */
type Declares = (file: string, operationName: string) => boolean;

function declaredOperations(documents: readonly OperationDocument[], parsed: readonly ParsedDocument[]): Declares {
  const names = new Map<string, Set<string>>();
  for (const { document, operations } of parsed) {
    const declared = names.get(document.file) ?? new Set<string>();
    for (const operation of operations) if (operation.name) declared.add(operation.name.value);
    names.set(document.file, declared);
  }
  const unparsed = new Set(documents.filter((document) => !parsed.some((each) => each.document === document)).map((document) => document.file));
  return (file, operationName) => unparsed.has(file) || names.get(file)?.has(operationName) === true;
}

/**
 * One tool per name within an API. The serving tool keeps its name while its file still declares the operation;
 * otherwise the first in document order (files sorted by path) wins. A refused operation names both sources,
 * since a toolPrefix cannot tell two operations of one API apart.
 */
function refuseDuplicates(tools: readonly OperationTool[], declares: Declares, serving: readonly OperationTool[], report: (problem: Problem) => void): OperationTool[] {
  const incumbents = new Map(serving.map((tool) => [tool.name, tool]));
  const winners = new Map<string, OperationTool>();
  for (const tool of tools) {
    const held = incumbents.get(tool.name);
    const holder = winners.get(tool.name) ?? (held && held.source.file !== tool.source.file && declares(held.source.file, held.operationName) ? held : undefined);
    if (!holder) {
      winners.set(tool.name, tool);
      continue;
    }
    report({
      severity: 'error', file: tool.source.file, line: tool.source.line,
      message: `Operation ${tool.operationName} has the same name as the one in ${describeSource(holder)}, which ${holder === held ? 'keeps serving' : 'serves'} the tool "${tool.name}"; this one was skipped. Operation names become tool names and must be unique within an API: rename one of them.`,
    });
  }
  return tools.filter((tool) => winners.get(tool.name) === tool);
}

function describeSource(tool: OperationTool): string {
  return `${tool.source.file}${tool.source.line ? `:${tool.source.line}` : ''}`;
}

function parseDocument(document: OperationDocument, report: (problem: Problem) => void): ParsedDocument[] {
  let parsed: DocumentNode;
  try {
    parsed = parse(new Source(document.text, document.file));
  } catch (error) {
    const line = error instanceof GraphQLError ? error.locations?.[0]?.line : undefined;
    const reason = error instanceof GraphQLError ? error.message : String(error);
    report({ severity: 'error', file: document.file, line, key: document.key, message: `${reason}; the operations in this file were skipped` });
    return [];
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of parsed.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(definition.name.value)) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    else if (definition.kind !== Kind.FRAGMENT_DEFINITION) {
      report({ severity: 'warning', file: document.file, line: definition.loc?.startToken.line, key: document.key, message: `Ignored a ${definition.kind}: operation files hold operations and fragments` });
    }
  }
  return [{ document, fragments, operations }];
}

function collectFragments(parsed: readonly ParsedDocument[], report: (problem: Problem) => void): Map<string, FragmentDefinitionNode> {
  const shared = new Map<string, FragmentDefinitionNode>();
  for (const { document, fragments } of parsed) {
    for (const [name, fragment] of fragments) {
      const first = shared.get(name);
      if (!first) shared.set(name, fragment);
      else if (textOf(first) !== textOf(fragment)) {
        const where = `${first.loc?.source.name}${first.loc ? `:${first.loc.startToken.line}` : ''}`;
        report({ severity: 'warning', file: document.file, line: fragment.loc?.startToken.line, key: document.key, message: `Fragment ${name} is also defined differently in ${where}; operations in other files use that one` });
      }
    }
  }
  return shared;
}

/** Why an operation is not served whatever the schema says, or undefined when it may be. */
function skipReason(operation: OperationDefinitionNode, api: ApiConfig): Pick<Problem, 'severity' | 'message'> | undefined {
  const name = operation.name?.value;
  if (!name) return { severity: 'error', message: 'Anonymous operation skipped: give it a name, which becomes the tool name' };
  if (operation.operation === 'subscription') return { severity: 'warning', message: `Subscription ${name} skipped: subscriptions cannot be served as tools` };
  if (operation.operation === 'mutation' && api.mutations === 'none') {
    return { severity: 'warning', message: `Mutation ${name} skipped: mutations are disabled for this API (mutations: none)` };
  }
  return undefined;
}

function buildTool({ operation, document, fragments }: Candidate, schema: GraphQLSchema, api: ApiConfig, report: (problem: Problem) => void): OperationTool | undefined {
  const where = { file: document.file, line: operation.loc?.startToken.line, key: document.key };
  const skipped = skipReason(operation, api);
  if (skipped) return void report({ severity: skipped.severity, ...where, message: skipped.message });
  if (!validateOperation(operation, fragments, schema, document, report)) return undefined;
  const toolName = `${api.toolPrefix}${operation.name!.value}`;
  if (!isValidToolName(toolName)) {
    return void report({ severity: 'error', ...where, message: `Tool name ${toolName} is not valid for MCP (letters, digits, _ and -, at most 128); operation skipped` });
  }
  return operationToTool(operation, { api, schema, file: document.file, fragments });
}

/** The fragments an operation spreads, transitively, in first-use order; unknown names are left to validation. */
export function fragmentsUsedBy(operation: OperationDefinitionNode, lookup: (name: string) => FragmentDefinitionNode | undefined): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  const collect = (selectionSet: SelectionSetNode): void => {
    // Spreads sit only in selection sets; walked depth first in document order, as graphql's visit() would.
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FRAGMENT_SPREAD) {
        if (selection.selectionSet) collect(selection.selectionSet);
        continue;
      }
      const fragment = lookup(selection.name.value);
      if (fragment && !used.has(selection.name.value)) {
        used.set(selection.name.value, fragment);
        pending.push(fragment);
      }
    }
  };
  for (let node = pending.pop(); node; node = pending.pop()) collect(node.selectionSet);
  return [...used.values()];
}

function validateOperation(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  schema: GraphQLSchema,
  document: OperationDocument,
  report: (problem: Problem) => void,
): boolean {
  const text = validationText(operation, fragments);
  const valid = validTextsOf(schema);
  if (valid.has(text)) return true;
  const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }, operationRules);
  for (const error of errors) {
    const file = error.source?.name ?? document.file;
    const message = `${operation.name?.value}: ${error.message} The operation was skipped.`;
    report({ severity: 'error', file, line: error.locations?.[0]?.line, key: file === document.file ? document.key : undefined, message });
  }
  if (errors.length === 0) valid.add(text);
  return errors.length === 0;
}

function validTextsOf(schema: GraphQLSchema): Set<string> {
  let valid = validTexts.get(schema);
  // Bounded: a long session of edits would otherwise keep every version ever typed.
  if (!valid || valid.size > maxCachedTexts) validTexts.set(schema, (valid = new Set<string>()));
  return valid;
}

function validationText(operation: OperationDefinitionNode, fragments: readonly FragmentDefinitionNode[]): string {
  return [operation, ...fragments].map(textOf).join('\n');
}

const maxBatchSize = 64;
const maxOpenBatches = 8;

interface Batch {
  candidates: Candidate[];
  operationNames: Set<string>;
  fragments: Map<string, FragmentDefinitionNode>;
}

/**
 * Validates operations many to a document, because each validate() call costs far more than its operation (every
 * rule is set up again; ~60% of validation for GitHub-sized sets), and marks the texts of batches found valid in the
 * cache validateOperation reads. A batch holds operations with distinct names and no fragment name in common, so
 * it is valid exactly when each operation with its own fragments is: every rule then sees in it the same
 * operations, fragments and (in OverlappingFieldsCanBeMerged, whose work is budgeted) the same work as one by one.
 * Operations in a batch with errors, or left out of batches, are validated one by one for their exact messages.
 */
function validateTogether(candidates: readonly Candidate[], schema: GraphQLSchema): void {
  const valid = validTextsOf(schema);
  const open: Batch[] = [];
  const full: Batch[] = [];
  for (const candidate of candidates) {
    if (valid.has(validationText(candidate.operation, candidate.fragments))) continue;
    const name = candidate.operation.name!.value;
    let batch = open.find((each) => !each.operationNames.has(name) && candidate.fragments.every((fragment) => !each.fragments.has(fragment.name.value)));
    if (!batch && open.length < maxOpenBatches) open.push((batch = { candidates: [], operationNames: new Set(), fragments: new Map() }));
    if (!batch) continue;
    batch.candidates.push(candidate);
    batch.operationNames.add(name);
    for (const fragment of candidate.fragments) batch.fragments.set(fragment.name.value, fragment);
    if (batch.candidates.length === maxBatchSize) full.push(...open.splice(open.indexOf(batch), 1));
  }
  for (const batch of [...full, ...open]) {
    if (batch.candidates.length < 2) continue;
    const definitions = [...batch.candidates.map((candidate) => candidate.operation), ...batch.fragments.values()];
    if (validate(schema, { kind: Kind.DOCUMENT, definitions }, operationRules).length > 0) continue;
    for (const { operation, fragments } of batch.candidates) valid.add(validationText(operation, fragments));
  }
}

/**
 * graphql's KnownTypeNamesRule lists every schema type name up front on each validate() call (GitHub: ~1600 names
 * for each of hundreds of operations) though it needs the list only for suggestions. This one looks names up and
 * hands an unknown name to the original rule, so errors and suggestions are exactly graphql's.
 */
function knownTypeNamesByLookup(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  let original: ASTVisitFn<NamedTypeNode> | undefined;
  return {
    NamedType(node, ...rest) {
      if (schema?.getType(node.name.value)) return undefined;
      original ??= (KnownTypeNamesRule(context) as { NamedType: ASTVisitFn<NamedTypeNode> }).NamedType;
      return original(node, ...rest);
    },
  };
}

// The specified rules, in their order (so errors come in the same order), with the faster KnownTypeNames.
const operationRules = specifiedRules.map((rule) => (rule === KnownTypeNamesRule ? knownTypeNamesByLookup : rule));

function textOf(node: OperationDefinitionNode | FragmentDefinitionNode): string {
  return node.loc ? node.loc.source.body.slice(node.loc.start, node.loc.end) : '';
}
