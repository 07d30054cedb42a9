import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Fields that may hold credentials, chat identities or what a person wrote. They are replaced before a line is
 * written, wherever in the first two levels of a log object they appear.
 */
const SENSITIVE_FIELDS = [
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'password',
  'authorization',
  'cookie',
  'chatId',
  'chat_id',
  'userId',
  'user_id',
  'from',
  'text',
  'caption',
  'body',
  'redisUrl',
];

const redactPaths = SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`]).concat([
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-bot-api-secret-token"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-zevent-signature"]',
]);

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'loaphuong' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      // `msg` stays readable: messages are written by us, never copied from user input.
      messageKey: 'msg',
    },
    destination,
  );
}
