/** Puts user-supplied text in a code span, safe from markup: the only markup replies use. */
export function code(s: string, max = 80): string {
  const flat = s.replace(/`/g, "'").replace(/\s+/g, ' ').trim();
  return '`' + (flat.length > max ? flat.slice(0, max - 1) + '…' : flat) + '`';
}

export function plural(n: number, word: string, pluralWord = word + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : pluralWord}`;
}
