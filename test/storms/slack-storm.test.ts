import { describe } from 'vitest';
import { stormCases } from './storm-cases.ts';

// Slack's Retry-After is whole seconds and the WebClient pauses all its calls for it: fewer channels keep this quick.
describe('storm on Slack (WebClient against the fake)', () => {
  stormCases('slack', { discordChannels: 0, slackChannels: 6 });
});
