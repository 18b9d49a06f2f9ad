/**
 * Client mistakes that express and body-parser detect below the routes — a malformed
 * percent-escape in a path parameter (`/rooms/%ZZ`), a body that is not JSON, one over the limit,
 * an unsupported encoding — arrive at the error handler as errors carrying a 4xx `status`. Every
 * service's shell answers them as bad input, never on the 500 path; the classification lives here
 * once, so a service cannot forget one (the gateway once answered `%ZZ` with 500).
 */

/** What kind of client mistake an error stands for. */
export type ClientMistake =
  | 'payload-too-large'
  | 'body-not-json'
  | 'unsupported-media-type'
  | 'not-found'
  | 'malformed-request';

/** The fields body-parser's and express's errors carry. */
interface HttpClientError {
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly type?: unknown;
}

/**
 * Classifies an error that reached a service's error handler: a client mistake, or `undefined`
 * for a real failure (the 500 path).
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   const mistake = clientMistakeOf(err);
 *   if (mistake === 'malformed-request') return answer(res, 400, 'INVALID_REQUEST');
 * });
 * ```
 */
export function clientMistakeOf(error: unknown): ClientMistake | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, type } = error as HttpClientError;
  const code =
    typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 0;
  if (type === 'entity.too.large' || code === 413) return 'payload-too-large';
  if (type === 'entity.parse.failed') return 'body-not-json';
  if (type === 'encoding.unsupported' || type === 'charset.unsupported' || code === 415) {
    return 'unsupported-media-type';
  }
  if (code === 404) return 'not-found';
  if (code >= 400 && code < 500) return 'malformed-request';
  return undefined;
}
