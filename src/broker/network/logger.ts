/**
 * The little logging the network layer does, behind an interface so the broker can route it to
 * its own logger and tests can capture it. Fields are plain data (connection id, reason, error).
 */
export interface NetworkLogger {
  /** Expected events worth a trace: a client that went away, a connection closed by a limit. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Noteworthy but not wrong: a connection rejected or closed for a protocol violation. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something is wrong on the server side: a handler threw, a listener failed. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Errors to stderr; the rest dropped. The default until the broker passes its own logger. */
export const stderrLogger: NetworkLogger = {
  debug: () => {},
  info: () => {},
  error: (message, fields) => {
    console.error(`[samsa network] ${message}`, fields ?? '');
  },
};
