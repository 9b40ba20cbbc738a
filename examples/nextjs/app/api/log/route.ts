// The tracebeam sink as a Next.js route handler (app/api/log/route.ts): pages post their events
// to /api/log, and each accepted event becomes one JSON line on stdout, where the host's log
// collection (Vercel's, a container's) keeps it beside the server's own lines.
import { createSinkHandler } from 'tracebeam/sink';

const sink = createSinkHandler();

export const POST = sink;
// The preflight of pages on other origins, once they are listed in `allowedOrigins`.
export const OPTIONS = sink;
