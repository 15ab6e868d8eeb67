import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs (one object a line) at LOG_LEVEL (default info). Fields
 * whose names suggest secrets are redacted: credentials come from each cloud's
 * default chain and must never reach a log.
 */
export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  const level = options.level ?? process.env['LOG_LEVEL'] ?? 'info';
  const config = {
    level,
    base: { service: 'drift-detective' },
    redact: {
      paths: [
        '*.password',
        '*.secret',
        '*.token',
        '*.authorization',
        '*.accessKeyId',
        '*.secretAccessKey',
        '*.sessionToken',
      ],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
