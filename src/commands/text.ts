import { clip } from '../domain/clip.ts';

/** Puts user-supplied text in a code span, safe from markup: the only markup replies use. */
export function code(s: string, max = 80): string {
  return '`' + flatClip(s, max) + '`';
}

/** User-supplied text on one line, without backticks (it goes inside a code span), clipped to `max`. */
export function flatClip(s: string, max: number): string {
  return clip(s.replace(/`/g, "'").replace(/\s+/g, ' ').trim(), max);
}

export function plural(n: number, word: string, pluralWord = word + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : pluralWord}`;
}
