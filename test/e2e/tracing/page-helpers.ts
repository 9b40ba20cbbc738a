/**
 * What a transparency case can use inside the page, as `window.h`: describing outcomes in plain
 * JSON, so that a page with the SDK and one without can be compared for equality.
 */
export const PAGE_HELPERS = String.raw`
const h = (window.h = {});
/** What was thrown: its kind, name and message, never its stack. */
h.error = (error) => ({
  threw: true,
  type: error?.constructor?.name ?? typeof error,
  name: error?.name,
  message: String(error?.message ?? error),
});
/** A settled promise as data. */
h.settle = (promise) => Promise.resolve(promise).then((value) => ({ value }), (error) => ({ rejected: h.error(error), reason: error }));
/** The request the echo API received, parsed from its JSON answer, or the text when it is no echo. */
h.parse = (text) => { try { return JSON.parse(text); } catch { return text; } };
/** A fetch response, body included. */
h.response = async (response) => ({
  status: response.status,
  ok: response.ok,
  statusText: response.statusText,
  type: response.type,
  url: response.url,
  redirected: response.redirected,
  echoHeader: response.headers.get('x-echo'),
  contentType: response.headers.get('content-type'),
  body: h.parse(await response.text()),
});
/** Runs one fetch and describes how it ended. */
h.fetch = async (...args) => {
  try {
    return await h.response(await fetch(...args));
  } catch (error) {
    return h.error(error);
  }
};
const XHR_EVENTS = ['readystatechange', 'loadstart', 'progress', 'load', 'loadend', 'error', 'abort', 'timeout'];
/**
 * Records every event of an XHR (and its upload) with the readyState it saw; repeats in a row are
 * folded, since how many progress events a body makes depends on how the bytes arrive.
 */
h.track = (xhr, withUpload = false) => {
  const log = [];
  const note = (entry) => log[log.length - 1] !== entry && log.push(entry);
  for (const type of XHR_EVENTS) xhr.addEventListener(type, () => note(type + ':' + xhr.readyState));
  if (withUpload) for (const type of XHR_EVENTS.slice(1)) xhr.upload.addEventListener(type, () => note('upload.' + type));
  const done = new Promise((resolve) => xhr.addEventListener('loadend', resolve));
  return { log, note, done };
};
/** An XHR's state, response included. */
h.xhrState = (xhr) => ({
  readyState: xhr.readyState,
  status: xhr.status,
  statusText: xhr.statusText,
  responseURL: xhr.responseURL,
  responseType: xhr.responseType,
  body: xhr.responseType === '' || xhr.responseType === 'text' ? h.parse(xhr.responseText) : undefined,
  echoHeader: xhr.readyState > 1 ? xhr.getResponseHeader('x-echo') : null,
});
/** Opens, sends and waits for the end of an XHR; 'send' may throw (sync), which is recorded. */
h.xhr = async (method, url, { body, headers = {}, configure, async = true, upload = false } = {}) => {
  const xhr = new XMLHttpRequest();
  const tracker = h.track(xhr, upload);
  try {
    xhr.open(method, url, async);
    for (const name in headers) xhr.setRequestHeader(name, headers[name]);
    configure?.(xhr, tracker);
    tracker.note('send');
    xhr.send(body);
    tracker.note('sent');
  } catch (error) {
    tracker.note('threw ' + h.error(error).name);
    return { ...h.xhrState(xhr), log: tracker.log };
  }
  if (async) await tracker.done;
  return { ...h.xhrState(xhr), log: tracker.log };
};
h.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
`;
