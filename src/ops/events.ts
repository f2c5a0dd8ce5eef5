/**
 * What the core reports for operators (metrics), as plain calls: the core stays free of
 * prom-client, and tests or CLI runs pass `noOpsEvents`.
 */
export interface OpsEvents {
  /** A post attempt (header or paper) came back: posted, or not (retry, give-up, disable). */
  postSettled(platform: string, ok: boolean): void;
  /** A command was answered after `seconds` (errors included: they are answers too). */
  commandFinished(command: string, seconds: number): void;
  /** A poll of a paper source ended. */
  sourcePolled(source: string, outcome: 'ok' | 'failed', papers: number): void;
}

export const noOpsEvents: OpsEvents = {
  postSettled: () => undefined,
  commandFinished: () => undefined,
  sourcePolled: () => undefined,
};
