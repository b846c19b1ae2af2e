import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Config } from '../../config';

/** What deliveries need from the configuration, read once. */
export interface DeliverySettings {
  allowPrivate: boolean;
  /** Certificate authorities a receiver may be signed by: the system's, and WEBHOOK_CA_FILE's. */
  ca: string[];
  timeoutMs: number;
  retryLimit: number;
  retryDelaySeconds: number;
  smtpUrl: string | null;
  smtpFrom: string;
}

export function deliverySettings(config: Config): DeliverySettings {
  const extra = config.WEBHOOK_CA_FILE ? [readFileSync(config.WEBHOOK_CA_FILE, 'utf8')] : [];
  return {
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    ca: [...rootCertificates, ...extra],
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retryLimit: config.DELIVERY_RETRY_LIMIT,
    retryDelaySeconds: config.DELIVERY_RETRY_DELAY_S,
    smtpUrl: config.SMTP_URL ?? null,
    smtpFrom: config.SMTP_FROM,
  };
}
