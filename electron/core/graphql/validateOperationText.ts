import { GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

export interface OperationTextError {
  message: string;
  line?: number;
  column?: number;
}

/** Bounds parsing work on text that comes from a model, not from the operator. */
const maxTokens = 20_000;

/**
 * Checks operation text against the schema: "valid" (with the operations it holds), or one `line:column message`
 * line per syntax or validation error.
 * @see https://spec.graphql.org/October2021/#sec-Validation
 */
export function validateOperationText(schema: GraphQLSchema, text: string): string {
  const result = checkOperationText(schema, text);
  if (result.errors.length === 0) return `valid${result.operations.length > 0 ? `: ${result.operations.join(', ')}` : ''}`;
  return result.errors.map((error) => `${error.line ? `${error.line}:${error.column} ` : ''}${error.message}`).join('\n');
}

/** The structured form of validateOperationText: errors, and `query Name` for each operation when valid. */
export function checkOperationText(schema: GraphQLSchema, text: string): { errors: OperationTextError[]; operations: string[] } {
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens });
  } catch (error) {
    return { errors: [toTextError(error, 'Syntax error: ')], operations: [] };
  }
  const errors = validate(schema, document).map((error) => toTextError(error, ''));
  const operations = document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION ? [`${definition.operation}${definition.name ? ` ${definition.name.value}` : ''}`] : [],
  );
  if (operations.length === 0 && errors.length === 0) errors.push({ message: 'The text holds no operation (only fragments)' });
  return { errors, operations };
}

function toTextError(error: unknown, prefix: string): OperationTextError {
  if (!(error instanceof GraphQLError)) return { message: `${prefix}${String(error)}` };
  const location = error.locations?.[0];
  const message = `${prefix}${error.message.replace(/^Syntax Error: /, '')}`;
  return location ? { message, line: location.line, column: location.column } : { message };
}
