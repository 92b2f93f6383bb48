/**
 * Slack sends the text of a slash command in its own format: `&`, `<` and `>` that the user typed arrive as `&amp;`,
 * `&lt;` and `&gt;` (a typed `<!channel>` arrives as `&lt;!channel&gt;`), and links, mentions and channels it
 * recognised arrive as `<url|label>`, `<@U…|name>` or `<#C…|name>`. Decoding that once where the text enters makes
 * filters and names the characters the user typed; the renderer escapes them again on the way out
 * (docs/decisions/0009-escaping-and-cutting.md).
 */

const characters: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * Returns slash command text as the user typed it: each of Slack's `<…>` becomes its label, or what it holds when it
 * has none, then the three entities become characters, in one pass so a typed `&lt;` stays `&lt;`.
 */
export function decodeCommandText(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>]*)>/g, '$1')
    .replace(/&(?:amp|lt|gt);/g, (entity) => characters[entity]!);
}
