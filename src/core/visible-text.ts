/**
 * "Not blank" for free-text fields a person must fill (the resume reason): text counts as blank
 * when nothing visible is left after removing whitespace, separators (\p{Z}: NBSP, ideographic
 * space...), format characters (\p{Cf}: zero-width spaces and joiners U+200B-U+200D, word joiner
 * U+2060, BOM U+FEFF, bidi marks and embeddings) and control characters (\p{Cc}). JSON schema's
 * `\S` pattern lets "\u200B" through; this does not.
 */
const INVISIBLE = /[\s\p{Z}\p{Cf}\p{Cc}]/gu;

/** The text without any invisible character (what a reader would actually see). */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '');
}

export function isBlank(text: string | null | undefined): boolean {
  return text === null || text === undefined || visibleText(text).length === 0;
}
