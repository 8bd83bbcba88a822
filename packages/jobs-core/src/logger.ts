import { pino, type BaseLogger, type LoggerOptions, type Logger as PinoLogger } from 'pino'

/**
 * The logger jobs-core code accepts: any pino-compatible logger, including Fastify's `app.log` and
 * `request.log`.
 */
export type Logger = Pick<BaseLogger, 'level' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'> & {
  child: (bindings: Record<string, unknown>) => Logger
}

/** Paths pino replaces with "[Redacted]" wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'redis.password',
  'config.redis.password',
  'password'
]

/**
 * pino options shared by every genejobs process: the level from `LOG_LEVEL`, secrets redacted,
 * the process name on every line. Entry points create the one logger; library code receives it.
 */
export function loggerOptions (level: string, name: string): LoggerOptions {
  return {
    level,
    name,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    serializers: { err: pino.stdSerializers.errWithCause }
  }
}

/** Creates the process's logger (JSON lines on stdout). */
export function createLogger (level: string, name: string): PinoLogger {
  return pino(loggerOptions(level, name))
}
