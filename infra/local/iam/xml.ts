const ENTITIES: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

/** Text safe inside an XML element or attribute (messages carry ARNs, keys and caller input). */
export const xmlEscape = (text: string): string => text.replace(/[<>&'"]/g, (c) => ENTITIES[c] ?? c);
