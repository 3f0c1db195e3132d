// C0/C1 controls, soft hyphen, bidi embeddings/overrides/isolates and marks, zero-width and invisible formatting
// characters, Hangul fillers, interlinear annotations, and the Unicode tag block (used to smuggle hidden ASCII).
const invisible = /[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

/**
 * A client-supplied name as plain text a user can trust on screen: every control, bidi or zero-width character is
 * shown as `<U+XXXX>` instead of acting, surrounding white space is trimmed and the result is capped at `maxLength`
 * code points. HTML needs no escaping here because the window and pages render it as text, never as markup.
 */
export function toVisibleText(text: string, maxLength = 80): string {
  const visible = text.trim().replace(invisible, (char) => `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
  const points = [...visible];
  return points.length > maxLength ? `${points.slice(0, maxLength - 1).join('')}…` : visible;
}
