/**
 * Slack's message markup ("mrkdwn" with angle-bracket references) rendered as the plain text a
 * reviewer reads: `<@U123>` → `@Display Name`, `<#C1|general>` → `#general`, `<!here>` → `@here`,
 * `<https://x|label>` → `label <https://x>`, and the three escaped characters unescaped.
 */
export function renderSlackText(text: string, userName: (id: string) => string | undefined, channelName: (id: string) => string | undefined): string {
  const rendered = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return `@${userName(id) ?? label ?? id}`;
    }
    if (target.startsWith('#')) {
      const id = target.slice(1);
      return `#${label ?? channelName(id) ?? id}`;
    }
    if (target.startsWith('!')) {
      const special = target.slice(1);
      if (label) return label.startsWith('@') ? label : `@${label}`;
      if (special.startsWith('subteam^')) return `@${special.slice(8)}`;
      if (special.startsWith('date^')) return special.split('^')[2] ?? special;
      return `@${special}`;
    }
    if (target.startsWith('mailto:')) return label ?? target.slice(7);
    if (label === undefined || label === target) return target;
    return `${label} <${target}>`;
  });
  return rendered.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
