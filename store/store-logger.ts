// The little a store needs to log (a pino logger fits it): one line per event, fields first.

export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLogger: StoreLogger = { info: () => {}, warn: () => {} };
