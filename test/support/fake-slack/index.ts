/** A fake Slack for tests: Web API + response_url (fake-slack.ts), Socket Mode (socket-mode.ts), signed requests (slack-requests.ts). */
export { FakeSlack, type FakeSlackOptions, type FakeUser, type RecordedCall, type RecordedResponse, type ScriptStep, type StoredMessage } from './fake-slack.ts';
export { FakeSocketMode } from './socket-mode.ts';
export * from './slack-requests.ts';
