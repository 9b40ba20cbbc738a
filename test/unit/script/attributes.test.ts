// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { optionsFromScript } from '../../../src/script/attributes';

function tag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
}

describe('optionsFromScript', () => {
  it('reads the data attributes into client options', () => {
    const options = optionsFromScript(
      tag({
        'data-sink': '/api/log',
        'data-service': 'web',
        'data-release': '1.2.3',
        'data-environment': 'production',
        'data-propagate-to': 'https://api.example.com, https://cdn.example.com  https://auth.example.com',
        'data-sample-rate': '0.25',
        'data-debug': '',
      }),
    );
    expect(options).toEqual({
      sink: '/api/log',
      service: 'web',
      release: '1.2.3',
      environment: 'production',
      propagateTo: ['https://api.example.com', 'https://cdn.example.com', 'https://auth.example.com'],
      sampleRate: 0.25,
      debug: true,
    });
  });

  it('fills in the defaults for what is left out', () => {
    expect(optionsFromScript(tag({ 'data-sink': 'https://logs.example.com/api/log', 'data-service': 'web' }))).toEqual({
      sink: 'https://logs.example.com/api/log',
      service: 'web',
      propagateTo: [],
      sampleRate: 1,
      debug: false,
    });
  });

  it('configures nothing when the tag has none of its attributes, or no tag is known', () => {
    expect(optionsFromScript(tag({}))).toBeUndefined();
    expect(optionsFromScript(tag({ 'data-cfasync': 'false', 'data-nscript': 'afterInteractive' }))).toBeUndefined();
    expect(optionsFromScript(null)).toBeUndefined();
  });

  it.each([
    [{ 'data-service': 'web' }, 'data-sink must be the URL of your log endpoint, e.g. "/api/log", and it is missing'],
    [
      { 'data-sink': 'ftp://logs.example.com', 'data-service': 'web' },
      'data-sink must be the URL of your log endpoint, e.g. "/api/log", not "ftp://logs.example.com"',
    ],
    [{ 'data-sink': '/api/log' }, 'data-service must be the name of the app, e.g. "web", and it is missing'],
    [{ 'data-sink': '/api/log', 'data-service': '' }, 'data-service must be the name of the app, e.g. "web", not ""'],
    [{ 'data-sink': '/api/log', 'data-service': 'web', 'data-propagate-to': 'api.example.com' }, 'data-propagate-to must be absolute URLs'],
    [{ 'data-sink': '/api/log', 'data-service': 'web', 'data-sample-rate': 'half' }, 'data-sample-rate must be a number from 0 to 1, not "half"'],
    [{ 'data-sink': '/api/log', 'data-service': 'web', 'data-sample-rate': '' }, 'data-sample-rate must be a number from 0 to 1, not ""'],
    [{ 'data-sink': '/api/log', 'data-service': 'web', 'data-sample-rate': '1.5' }, 'data-sample-rate must be a number from 0 to 1, not "1.5"'],
    [{ 'data-sink': '/api/log', 'data-service': 'web', 'data-debug': 'yes' }, 'data-debug must be "true" or "false", not "yes"'],
  ])('names the first missing or wrong attribute: %j', (attributes, message) => {
    expect(optionsFromScript(tag(attributes))).toContain(message);
  });
});
