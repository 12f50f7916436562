/** Discord embeds (link previews, bot cards) as the plain text a reviewer reads and searches. */
export interface DiscordEmbed {
  title?: string | null;
  url?: string | null;
  description?: string | null;
  author?: { name?: string | null } | null;
  fields?: { name?: string | null; value?: string | null }[];
  footer?: { text?: string | null } | null;
}

export function embedText(e: DiscordEmbed | null | undefined): string {
  if (!e || typeof e !== 'object') return '';
  const title = [e.title, e.url ? `<${e.url}>` : ''].filter(Boolean).join(' ');
  const lines = [
    `[embed${title ? `: ${title}` : ''}]`,
    e.author?.name ? `by ${e.author.name}` : '',
    e.description ?? '',
    ...(Array.isArray(e.fields) ? e.fields.map((f) => [f?.name, f?.value].filter(Boolean).join(': ')) : []),
    e.footer?.text ?? '',
  ];
  return lines.filter(Boolean).join('\n');
}
