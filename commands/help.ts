import { usage } from '../src/commands/options.ts';
import { flatClip } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { UserError } from '../src/domain/errors.ts';

export const help = defineCommand({
  name: 'help',
  description: 'What Paperboy can do',
  options: [{ name: 'command', type: 'string', description: 'A command to explain', maxLength: 30 }],
  access: 'member',
  examples: ['/papers help', '/papers help search'],
  async handler({ options, services }) {
    const all = services.commands();
    if (options.command) {
      const spec = all.find((c) => c.name === options.command!.toLowerCase().replace(/^\/?papers\s+/, ''));
      if (!spec) throw new UserError('not_found', `There is no \`/papers ${flatClip(options.command, 30)}\`. \`/papers help\` lists them all.`);
      const lines = [
        spec.description + '.',
        `Usage: \`${usage(spec)}\``,
        ...spec.options.map((o) => `• \`${o.name}\`: ${o.description}`),
        ...(spec.access === 'manager' ? ['Only channel managers can run it.'] : []),
        ...(spec.examples?.length ? ['Examples:', ...spec.examples.map((e) => `• \`${e}\``)] : []),
      ];
      return { title: `/papers ${spec.name}`, text: lines.join('\n'), ephemeral: true };
    }
    const lines = all.map((c) => `\`${usage(c)}\`: ${c.description}${c.access === 'manager' ? ' (managers)' : ''}`);
    lines.push('', 'Details: `/papers help <command>`. On any paper, Upvote and Save buttons (or 👍 and 🔖 reactions on digest posts) count for your team.');
    return { title: 'Paperboy', text: lines.join('\n'), ephemeral: true };
  },
});
