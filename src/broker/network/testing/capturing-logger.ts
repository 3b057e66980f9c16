/** A NetworkLogger that keeps every line, for tests that check what was logged. */
import type { NetworkLogger } from '../logger.js';

export interface LogLine {
  level: 'debug' | 'info' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

export class CapturingLogger implements NetworkLogger {
  readonly lines: LogLine[] = [];

  debug(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, fields });
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }

  errors(): LogLine[] {
    return this.lines.filter((l) => l.level === 'error');
  }
}
