const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML and SVG text nodes and quoted attribute values, so data can never inject markup. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);

/** A safe fragment identifier built from arbitrary text (letters, digits, `-` and `_` only). */
export const safeId = (text: string): string => {
  const cleaned = text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return `id-${cleaned === '' ? 'x' : cleaned}`;
};
