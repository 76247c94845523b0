/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Wraps an e-mail body in a minimal HTML document with inline styles, because many mail clients drop
 * `<style>` elements. `title` is plain text; `bodyHtml` must already be escaped.
 */
export function emailDocument(title: string, bodyHtml: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;background:#ffffff">',
    bodyHtml,
    '<p style="margin-top:32px;font-size:12px;color:#616e7c">Financy</p>',
    '</body>',
    '</html>',
  ].join('\n');
}

/** Escapes text for Slack mrkdwn, where `&`, `<` and `>` are control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
