/**
 * The options of a `<script src=".../tracebeam.min.js" data-sink="/api/log" data-service="web">`
 * tag. A missing or wrong attribute comes back as the message naming it, for one console error;
 * nothing here throws.
 */
import { httpUrl } from '../core/options';
import type { ClientOptions } from '../core/types';

/** `undefined`: the tag configures nothing (the page calls `tracebeam.init` itself); a string: what is wrong. */
export type ScriptOptions = ClientOptions | string | undefined;

const isUrl = (value: string | undefined, absolute?: boolean): boolean => !!value && !!httpUrl(value, absolute ? undefined : location.href);

export function optionsFromScript(script: HTMLOrSVGScriptElement | null): ScriptOptions {
  const data = script?.dataset;
  // Other tools put data attributes of their own on script tags; only ours mean "configure me".
  if (!data || !['sink', 'service', 'propagateTo', 'sampleRate', 'release', 'environment', 'debug'].some((name) => name in data)) return;
  const { sink, service, release, environment, propagateTo = '', sampleRate = '1', debug = 'false' } = data;
  const origins = propagateTo.split(/[\s,]+/).filter(Boolean);
  const rate = Number(sampleRate);
  const wrong: Array<[boolean, string, string, string?]> = [
    [isUrl(sink), 'sink', 'the URL of your log endpoint, e.g. "/api/log"', sink],
    [!!service, 'service', 'the name of the app, e.g. "web"', service],
    [
      origins.every((origin) => isUrl(origin, true)),
      'propagate-to',
      'absolute URLs separated by spaces or commas, e.g. "https://api.example.com"',
      propagateTo,
    ],
    [sampleRate.trim() !== '' && rate >= 0 && rate <= 1, 'sample-rate', 'a number from 0 to 1', sampleRate],
    [/^(true|false|)$/.test(debug), 'debug', '"true" or "false"', debug],
  ];
  for (const [ok, name, expected, value] of wrong) {
    if (!ok) return `data-${name} must be ${expected}` + (value == null ? ', and it is missing' : `, not ${JSON.stringify(value)}`);
  }
  const options: ClientOptions = { sink: sink!, service: service!, propagateTo: origins, sampleRate: rate, debug: debug !== 'false' };
  // Left out rather than undefined: the client takes an option that is there as meant.
  if (release) options.release = release;
  if (environment) options.environment = environment;
  return options;
}
