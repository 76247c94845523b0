/** Escapes text for HTML-formatted chat messages: `&`, `<` and `>` are the only characters that need it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
