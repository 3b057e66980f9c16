/**
 * The broker's log lines: one interface so tests can silence or capture them.
 */
export interface BrokerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: BrokerLogger = {
  info: (m) => console.log(`[samsa] ${m}`),
  warn: (m) => console.warn(`[samsa] WARN ${m}`),
  error: (m, e) => console.error(`[samsa] ERROR ${m}`, e ?? ''),
};

export const silentLogger: BrokerLogger = { info: () => {}, warn: () => {}, error: () => {} };
