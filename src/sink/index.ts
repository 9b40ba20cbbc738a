export { createSinkHandler } from './handler';
export type { SinkHandler, SinkHandlerOptions, SinkWriter } from './handler';
export type { AllowedOrigins } from './cors';
export { toNodeListener } from './node';
export type { NodeListener } from './node';
export { jsonLinesFile } from './file';
export { sourceMapResolver } from './sourcemaps';
export type { MappedFrame, SourceMapResolver, SourceMapResolverOptions } from './sourcemaps';
