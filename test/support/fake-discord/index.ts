export { FakeDiscord, EPHEMERAL, type FakeDiscordOptions, type FakeInteraction, type FakeMessage, type RecordedCall, type VisibleAnswer } from './server.ts';
export { FakeGateway, Intent, Op, type GatewayFrame } from './gateway.ts';
export {
  autocompleteInteraction,
  buttonInteraction,
  chatInputInteraction,
  guildCreatePayload,
  Perm,
  reactionAdd,
  reactionRemove,
  type CommandOption,
  type FakeGuild,
  type FakeUser,
  type Where,
} from './payloads.ts';
export { snowflake } from './snowflake.ts';
