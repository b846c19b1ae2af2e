import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DeliverySettings } from './delivery.settings';
import { SIGNATURE_HEADER, signatureHeader } from './signature';
import { parseWebhookUrl, resolveWebhookHost, WebhookAddressError } from './webhook-address';

/** How an attempt ended: `retry` when another attempt may succeed. */
export interface AttemptOutcome {
  delivered: boolean;
  retry: boolean;
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
}

/** Most characters of an answer kept in the log. */
const EXCERPT = 512;

/** Answers worth trying again: the receiver was busy, down or slow. Anything else 4xx, and 3xx, will not change. */
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * POSTs a signed body to a webhook. The host is resolved and checked here, on every attempt, and the connection goes
 * to the address checked (never to one a second lookup gives). Redirects are not followed: a 3xx is a failure.
 */
export async function sendWebhook(settings: DeliverySettings, urlText: string, secret: string, deliveryId: string, body: string): Promise<AttemptOutcome> {
  let target: { address: string; family: number };
  let url: URL;
  try {
    url = parseWebhookUrl(urlText).url;
    target = await resolveWebhookHost(url, settings.allowPrivate);
  } catch (error) {
    if (!(error instanceof WebhookAddressError)) throw error;
    // A name that does not resolve may resolve later; a refused address will not change by itself.
    return { delivered: false, retry: /does not resolve/.test(error.message), statusCode: null, error: error.message, excerpt: null };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  return new Promise((resolve) => {
    const done = (outcome: AttemptOutcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        ca: settings.ca,
        // The certificate is checked against the URL's host name, whatever address it was reached at.
        servername: /^\d|:/.test(url.hostname) ? undefined : url.hostname,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Dossier-Webhook/1',
          'dossier-delivery': deliveryId,
          [SIGNATURE_HEADER]: signatureHeader(secret, body),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let excerpt = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          excerpt += chunk;
          // Only the start of an answer is kept: a receiver cannot fill the log, nor hold the attempt open.
          if (excerpt.length >= EXCERPT) res.destroy();
        });
        const finish = () => {
          const ok = status >= 200 && status < 300;
          const error = ok ? null : status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`;
          done({ delivered: ok, retry: !ok && retryable(status), statusCode: status, error, excerpt: excerpt.slice(0, EXCERPT) || null });
        };
        res.on('end', finish);
        res.on('close', finish);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${settings.timeoutMs} ms`)), settings.timeoutMs);
    req.on('error', (error) => done({ delivered: false, retry: true, statusCode: null, error: error.message, excerpt: null }));
    req.end(body);
  });
}
