/**
 * Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
 * .../interactions/message-components). A payload over any of them is rejected whole with
 * 50035 Invalid Form Body, so render.ts keeps every message inside them.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of every embed's title, description, field names and values, footer and author. */
  embedTotalPerMessage: 6000,
  embedsPerMessage: 10,
  buttonsPerRow: 5,
  rowsPerMessage: 5,
  buttonLabel: 80,
  customId: 100,
  /** Autocomplete: at most 25 choices, names and values up to 100 characters. */
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandDescription: 100,
  optionChoices: 25,
  optionStringLength: 6000,
  /** Message nonces are integers or strings of at most 25 characters. */
  nonce: 25,
} as const;
