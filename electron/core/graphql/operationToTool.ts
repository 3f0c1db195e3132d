import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  print,
  SchemaMetaFieldDef,
  typeFromAST,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type ArgumentNode,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { ApiConfig, JsonSchema } from '../config/AppConfig.ts';
import { invariant } from '../errors.ts';
import { describeOperation, humanizeName, variableComment } from './describeOperation.ts';
import type { OperationTool, ToolAnnotations } from './OperationTool.ts';
import { describe, typeToJsonSchema, type JsonSchemaContext } from './typeToJsonSchema.ts';

export interface OperationToToolContext {
  api: ApiConfig;
  schema: GraphQLSchema;
  /** The file the operation came from, kept as the tool's `source`. */
  file: string;
  /** Exactly the fragments this operation uses (transitively), in the order they are appended to the document. */
  fragments: readonly FragmentDefinitionNode[];
}

/** MCP tool names: what clients accept. @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools */
const toolNamePattern = /^[a-zA-Z0-9_-]{1,128}$/;

export function isValidToolName(name: string): boolean {
  return toolNamePattern.test(name);
}

/**
 * Turns one named, schema-valid operation into an MCP tool: name, title, description, a JSON Schema 2020-12 input
 * schema for its variables, annotations, and the document to send (operation plus the fragments it uses).
 * Pure; the caller validates the operation against the schema and checks the name with isValidToolName.
 * @see https://spec.graphql.org/October2021/#sec-Language.Variables
 */
export function operationToTool(operation: OperationDefinitionNode, context: OperationToToolContext): OperationTool {
  invariant(operation.name, 'operationToTool needs a named operation');
  const operationName = operation.name.value;
  const fragmentsByName = new Map(context.fragments.map((fragment) => [fragment.name.value, fragment]));
  const title = humanizeName(operationName);
  return {
    kind: 'operation',
    name: `${context.api.toolPrefix}${operationName}`,
    title,
    description: describeOperation(operation, context.schema, fragmentsByName),
    inputSchema: variablesToInputSchema(operation, context),
    annotations: annotationsFor(operation.operation, title),
    api: context.api.name,
    operationName,
    operationType: operation.operation,
    document: [operation, ...context.fragments].map(sourceText).join('\n\n'),
    source: { file: context.file, line: operation.loc?.startToken.line },
  };
}

function annotationsFor(type: OperationDefinitionNode['operation'], title: string): ToolAnnotations {
  return type === 'query' ? { title, readOnlyHint: true } : { title, readOnlyHint: false, destructiveHint: true };
}

/** The definition exactly as written (the author's formatting and comments), or printed when there is no source. */
function sourceText(node: OperationDefinitionNode | FragmentDefinitionNode): string {
  return node.loc ? node.loc.source.body.slice(node.loc.start, node.loc.end) : print(node);
}

function variablesToInputSchema(operation: OperationDefinitionNode, context: OperationToToolContext): JsonSchema & { type: 'object' } {
  const jsonContext: JsonSchemaContext = { customScalars: context.api.customScalars, defs: {} };
  const argumentDescriptions = describeVariablesFromArguments(operation, context);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(context.schema, definition.type) as GraphQLInputType | undefined;
    invariant(type, `variable $${name} has a type the schema knows (operations are validated first)`);
    const notes = [variableComment(definition.loc) || argumentDescriptions.get(name)];
    properties[name] = describe(typeToJsonSchema(type, jsonContext), notes, defaultOf(definition));
    if (definition.type.kind === Kind.NON_NULL_TYPE && !definition.defaultValue) required.push(name);
  }
  const schema: JsonSchema & { type: 'object' } = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  schema.additionalProperties = false;
  if (Object.keys(jsonContext.defs).length > 0) schema.$defs = sortKeys(jsonContext.defs);
  return schema;
}

function defaultOf(definition: VariableDefinitionNode): unknown {
  return definition.defaultValue ? valueFromASTUntyped(definition.defaultValue) : undefined;
}

/**
 * For variables passed straight to a field argument (`user(login: $login)`), that argument's schema description,
 * so uncommented variables still tell the model what they mean. A direct walk that resolves arguments as graphql's
 * TypeInfo does (directive arguments too), without a full visit() per operation and fragment.
 */
function describeVariablesFromArguments(operation: OperationDefinitionNode, context: OperationToToolContext): Map<string, string> {
  const { schema } = context;
  const descriptions = new Map<string, string>();
  const note = (args: readonly ArgumentNode[] | undefined, definitions: readonly GraphQLArgument[] | undefined): void => {
    for (const argument of args ?? []) {
      const description = definitions?.find((definition) => definition.name === argument.name.value)?.description;
      if (argument.value.kind === Kind.VARIABLE && description && !descriptions.has(argument.value.name.value)) {
        descriptions.set(argument.value.name.value, description);
      }
    }
  };
  // TypeInfo falls back to the enclosing field's arguments for an unknown directive.
  const noteDirectives = (directives: readonly DirectiveNode[] | undefined, field?: GraphQLField<unknown, unknown>): void => {
    for (const directive of directives ?? []) note(directive.arguments, schema.getDirective(directive.name.value)?.args ?? field?.args);
  };
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType | undefined, enclosing?: GraphQLField<unknown, unknown>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = parentType && fieldDefinition(schema, parentType, selection.name.value);
        note(selection.arguments, field?.args);
        noteDirectives(selection.directives, field);
        if (selection.selectionSet) walk(selection.selectionSet, compositeOrUndefined(field && getNamedType(field.type)), field);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        noteDirectives(selection.directives, enclosing);
        const type = selection.typeCondition ? compositeOrUndefined(schema.getType(selection.typeCondition.name.value)) : parentType;
        walk(selection.selectionSet, type, enclosing);
      } else {
        noteDirectives(selection.directives, enclosing);
      }
    }
  };
  for (const definition of operation.variableDefinitions ?? []) noteDirectives(definition.directives);
  noteDirectives(operation.directives);
  walk(operation.selectionSet, compositeOrUndefined(schema.getRootType(operation.operation)));
  for (const fragment of context.fragments) {
    noteDirectives(fragment.directives);
    walk(fragment.selectionSet, compositeOrUndefined(schema.getType(fragment.typeCondition.name.value)));
  }
  return descriptions;
}

function compositeOrUndefined(type: GraphQLNamedType | null | undefined): GraphQLCompositeType | undefined {
  return isCompositeType(type) ? type : undefined;
}

/** A field of a type as graphql's TypeInfo finds it, meta fields included. */
function fieldDefinition(schema: GraphQLSchema, parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name && schema.getQueryType() === parentType) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name && schema.getQueryType() === parentType) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  return isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
}

function sortKeys(record: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
