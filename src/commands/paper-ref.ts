import { UserError } from '../domain/errors.ts';
import { parseArxivId, type Paper } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import { flatClip } from './text.ts';

/** The paper an id or pasted link points at, or a UserError that says why not. */
export async function resolvePaper(store: Store, raw: string): Promise<Paper> {
  const id = parseArxivId(raw);
  if (!id) {
    throw new UserError('bad_option', `\`${flatClip(raw, 60)}\` doesn't look like an arXiv id or link. Try one like \`2608.14391\` or \`https://arxiv.org/abs/2608.14391\`.`);
  }
  const paper = await store.papers.get(id);
  if (!paper) {
    throw new UserError('not_found', `I don't have ${id} yet. It may not be ingested: try \`/papers search\` with words from its title.`);
  }
  return paper;
}
