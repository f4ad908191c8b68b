// The REST API as the pages use it: the bearer token on every call, one refresh and retry on a 401,
// and every failure as an ApiError carrying the API's own message and field details.
import { accessToken, refresh, current } from './session.js';

export class ApiError extends Error {
  constructor(message, { status = 0, code = '', details = [], requestId = '', network = false } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
    this.network = network;
  }
}

async function send(path, { method = 'GET', body, headers = {}, token }) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError('No connection to the server.', { network: true });
  }
}

/** `data` of the answer (or `{data, meta}` with `withMeta`); throws ApiError. */
export async function api(path, options = {}) {
  let response = await send(path, { ...options, token: await accessToken() });
  if (response.status === 401 && current()) {
    try {
      const session = await refresh();
      response = await send(path, { ...options, token: session.access_token });
    } catch (error) {
      if (error.network) throw new ApiError('No connection to the server.', { network: true });
    }
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = json?.error;
    throw new ApiError(error?.message || `The server answered ${response.status} ${response.statusText}.`, {
      status: response.status, code: error?.code || '', details: error?.details || [], requestId: error?.request_id || '',
    });
  }
  if (!json) throw new ApiError('The server sent an answer that could not be read.', { status: response.status });
  return options.withMeta ? { data: json.data, meta: json.meta } : json.data;
}

/** An error in words: the message, then each field's problem. */
export function describe(error) {
  if (!(error instanceof ApiError)) return { message: String(error?.message || error), details: [] };
  return {
    message: error.message,
    details: (error.details || []).map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)),
  };
}
