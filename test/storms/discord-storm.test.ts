import { describe } from 'vitest';
import { stormCases } from './storm-cases.ts';

describe('storm on Discord (discord.js REST against the fake)', () => {
  stormCases('discord', { discordChannels: 30, slackChannels: 0 });
});
