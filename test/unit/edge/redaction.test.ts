// The edge scrubs its events as the browser does: the same rule, run on the same inputs, gives the
// same fields, and what reaches the sink from an edge client holds none of the planted secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent } from '../../../src/core/event';
import { redactValue } from '../../../src/core/redact';
import type { CaptureInput } from '../../../src/core/types';
import { createEdgeClient } from '../../../src/edge/index';
import { edgeEvent } from '../../../src/edge/event';
import { closeServers, startSink, type Sink } from './helpers';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const SECRETS = ['jane.doe@example.com', 'hunter2', 'sk_live_9f8e7d6c', '4111 1111 1111 1111', JWT, 'dXNlcjpwYXNzd29yZA=='];

const INPUTS: CaptureInput[] = [
  { level: 'info', event: 'signup', attributes: { email: 'jane.doe@example.com', password: 'hunter2', plan: 'pro', count: 3 } },
  {
    level: 'warn',
    event: 'payment',
    attributes: { note: 'card 4111 1111 1111 1111 declined', api_key: 'sk_live_9f8e7d6c', nested: { token: JWT, kept: 'blue' } },
  },
  { level: 'error', event: 'client_error', error: { type: 'Error', message: `login failed for jane.doe@example.com with ${JWT}`, handled: true } },
  {
    level: 'info',
    event: 'http_request',
    http: { method: 'GET', url: 'https://api.test/items?access_token=sk_live_9f8e7d6c&page=2', status_code: 200, duration_ms: 4 },
  },
  { level: 'info', event: 'auth', attributes: { header: 'Basic dXNlcjpwYXNzd29yZA==', order: 'A-1042' } },
];

/** What both builders take from the app: everything but the ids, times and the page's own fields. */
const appFields = ({ id, timestamp, sdk, url, session_id, user_id, span_id, ...rest }: Record<string, unknown>) => rest;

describe('edge redaction', () => {
  it.each(INPUTS.map((input) => [input.event, input] as const))('scrubs %s exactly as the browser does', (_name, input) => {
    const browser = buildEvent({ input, time: 0, traceId: TRACE }, { service: 'shop' }, redactValue);
    const edge = edgeEvent(input, { service: 'shop', trace_id: TRACE }, true);
    expect(appFields(edge)).toEqual(appFields(browser));
    for (const secret of SECRETS) expect(JSON.stringify(edge)).not.toContain(secret);
  });

  it('keeps ordinary values', () => {
    const [signup, payment] = INPUTS.map((input) => edgeEvent(input, { service: 'shop', trace_id: TRACE }, true));
    expect(signup).toMatchObject({ plan: 'pro', count: 3 });
    expect(payment).toMatchObject({ nested: { kept: 'blue' } });
  });
});

describe('an edge client', () => {
  let sink: Sink;
  beforeAll(async () => {
    sink = await startSink();
  });
  afterAll(closeServers);

  it('sends no planted secret to the sink, and sends them all with redact: false', async () => {
    const record = (redact?: boolean) => {
      const client = createEdgeClient({ sink: sink.url, service: 'shop', release: 'build for jane.doe@example.com', redact });
      for (const input of INPUTS) client.log(input.level, input.event, input.attributes);
      client.captureError(new Error(`login failed for jane.doe@example.com with ${JWT}`), { password: 'hunter2' });
      return client.flush();
    };
    await record();
    await sink.settled();
    expect(sink.events).toHaveLength(INPUTS.length + 1);
    const scrubbed = JSON.stringify(sink.events);
    for (const secret of SECRETS) expect(scrubbed).not.toContain(secret);
    expect(sink.events[0]).toMatchObject({ release: 'build for [email]', email: '[email]', password: '[redacted]', plan: 'pro' });

    await sink.reset();
    await record(false);
    await sink.settled();
    const given = JSON.stringify(sink.events);
    for (const secret of SECRETS) expect(given).toContain(secret);
  });
});
