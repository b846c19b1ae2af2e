import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { DeliverySettings } from './delivery.settings';
import type { AttemptOutcome } from './webhook.send';

/** An e-mail as composed for a delivery: Markdown as the plain text part, HTML as the other. */
export interface EmailPayload {
  subject: string;
  text: string;
  html: string;
}

/** Recipients a delivery accepts: plain addresses (no display names, no lists in one entry), at most this many. */
export const MAX_RECIPIENTS = 20;
const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
export const isEmailAddress = (text: string) => text.length <= 254 && ADDRESS.test(text);

/** Sends through SMTP_URL. A reply of 5xx is permanent; connection trouble and 4xx are tried again. */
export async function sendEmail(settings: DeliverySettings, recipients: string[], payload: EmailPayload): Promise<AttemptOutcome> {
  if (!settings.smtpUrl) return { delivered: false, retry: false, statusCode: null, error: 'SMTP_URL is not set on this instance', excerpt: null };
  // The URL's settings, and these timeouts where it sets none.
  const options = { url: settings.smtpUrl, connectionTimeout: settings.timeoutMs, greetingTimeout: settings.timeoutMs, socketTimeout: settings.timeoutMs };
  const transport = nodemailer.createTransport(options as SMTPTransport.Options);
  try {
    const info = await transport.sendMail({ from: settings.smtpFrom, to: recipients, subject: payload.subject, text: payload.text, html: payload.html });
    return { delivered: true, retry: false, statusCode: 250, error: null, excerpt: String(info.response ?? '').slice(0, 512) || null };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode ?? null;
    return { delivered: false, retry: !(code && code >= 500), statusCode: code, error: (error as Error).message.slice(0, 512), excerpt: null };
  } finally {
    transport.close();
  }
}
