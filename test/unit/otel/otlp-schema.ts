/**
 * JSON Schemas of the OTLP requests we send, written from the proto files
 * (opentelemetry-proto: opentelemetry/proto/{common,resource,trace,logs}/v1/*.proto and
 * collector/{trace,logs}/v1/*_service.proto) under the OTLP JSON Protobuf Encoding
 * (docs/specification.md#json-protobuf-encoding): lowerCamelCase keys, ids as hex, 64-bit integers
 * as decimal strings, enums as integers only. `additionalProperties: false` catches a misspelt
 * field, which a receiver would silently ignore.
 */

const strict = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const uint64 = { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' };
const uint32 = { type: 'integer', minimum: 0, maximum: 4294967295 };
const enumOf = (max: number) => ({ type: 'integer', minimum: 0, maximum: max });
// bytes trace_id / span_id: hex, and never all zero when present (an all-zero id is invalid).
const traceId = { type: 'string', pattern: '^(?!0{32}$)[0-9a-fA-F]{32}$' };
const spanId = { type: 'string', pattern: '^(?!0{16}$)[0-9a-fA-F]{16}$' };

const defs = {
  // common.v1.AnyValue: a oneof, so at most one member.
  anyValue: {
    ...strict({
      stringValue: { type: 'string' },
      boolValue: { type: 'boolean' },
      intValue: { type: 'string', pattern: '^-?(0|[1-9][0-9]{0,18})$' },
      doubleValue: { type: 'number' },
      arrayValue: strict({ values: { type: 'array', items: { $ref: '#/$defs/anyValue' } } }),
      kvlistValue: strict({ values: { type: 'array', items: { $ref: '#/$defs/keyValue' } } }),
      bytesValue: { type: 'string' },
    }),
    maxProperties: 1,
  },
  keyValue: strict({ key: { type: 'string' }, value: { $ref: '#/$defs/anyValue' } }, ['key', 'value']),
  keyValues: { type: 'array', items: { $ref: '#/$defs/keyValue' } },
  resource: strict({ attributes: { $ref: '#/$defs/keyValues' }, droppedAttributesCount: uint32 }),
  scope: strict({ name: { type: 'string' }, version: { type: 'string' }, attributes: { $ref: '#/$defs/keyValues' }, droppedAttributesCount: uint32 }),
};

const span = strict(
  {
    traceId,
    spanId,
    traceState: { type: 'string' },
    parentSpanId: spanId,
    flags: uint32,
    name: { type: 'string' },
    kind: enumOf(5),
    startTimeUnixNano: uint64,
    endTimeUnixNano: uint64,
    attributes: { $ref: '#/$defs/keyValues' },
    droppedAttributesCount: uint32,
    events: {
      type: 'array',
      items: strict({ timeUnixNano: uint64, name: { type: 'string' }, attributes: { $ref: '#/$defs/keyValues' }, droppedAttributesCount: uint32 }),
    },
    droppedEventsCount: uint32,
    droppedLinksCount: uint32,
    status: strict({ message: { type: 'string' }, code: enumOf(2) }),
  },
  ['traceId', 'spanId', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano'],
);

const logRecord = strict({
  timeUnixNano: uint64,
  observedTimeUnixNano: uint64,
  severityNumber: enumOf(24),
  severityText: { type: 'string' },
  body: { $ref: '#/$defs/anyValue' },
  attributes: { $ref: '#/$defs/keyValues' },
  droppedAttributesCount: uint32,
  flags: uint32,
  traceId,
  spanId,
  eventName: { type: 'string' },
});

const request = (resourceKey: string, scopeKey: string, itemsKey: string, item: object) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $defs: defs,
  ...strict(
    {
      [resourceKey]: {
        type: 'array',
        items: strict({
          resource: { $ref: '#/$defs/resource' },
          [scopeKey]: {
            type: 'array',
            items: strict({ scope: { $ref: '#/$defs/scope' }, [itemsKey]: { type: 'array', items: item }, schemaUrl: { type: 'string' } }),
          },
          schemaUrl: { type: 'string' },
        }),
      },
    },
    [resourceKey],
  ),
});

/** collector.trace.v1.ExportTraceServiceRequest */
export const traceRequestSchema = request('resourceSpans', 'scopeSpans', 'spans', span);

/** collector.logs.v1.ExportLogsServiceRequest */
export const logsRequestSchema = request('resourceLogs', 'scopeLogs', 'logRecords', logRecord);
