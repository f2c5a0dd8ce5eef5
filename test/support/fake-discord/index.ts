export { FakeDiscord, EPHEMERAL, type Disruption, type FakeDiscordOptions, type FakeInteraction, type FakeMessage, type RecordedCall, type ScriptedResponse, type VisibleAnswer } from './server.ts';
export { CloseCode, FakeGateway, guildShard, Intent, Op, type GatewayFrame } from './gateway.ts';
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
export { guildIdOnShard, snowflake } from './snowflake.ts';
