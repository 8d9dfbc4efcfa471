/**
 * What a process started by the stack runner tells it over the IPC channel once it serves
 * requests. Ports may be 0 (tests), so the runner learns the real URL from the message.
 */
export interface ReadyMessage {
  type: 'bicentennial:ready';
  service: string;
  url: string;
}

export function isReadyMessage(message: unknown): message is ReadyMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'bicentennial:ready' &&
    typeof (message as { url?: unknown }).url === 'string'
  );
}

/** Tells a parent stack runner (if any) that this process is serving at `url`. */
export function announceReady(service: string, url: string): void {
  if (process.send) {
    const message: ReadyMessage = { type: 'bicentennial:ready', service, url };
    process.send(message);
  }
}
