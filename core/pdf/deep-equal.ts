// Structural equality of PDF objects across two revisions of one file (ISO 32000-1 §7.3): what "unchanged" means.
import type { PdfDocument } from './document.js';
import { PdfDict, PdfRef, PdfStream, type PdfObject } from './objects.js';
import { serialize } from './serialize.js';

/** Private keys producers add that no viewer draws from (iText's version stamp). */
export const IGNORED_KEYS = new Set(['ITXT']);

/**
 * Dictionaries regardless of key order, references followed (an object copied under a new number with the same
 * content is the same), streams by dictionary and raw bytes. The same reference is the same: if the object it names
 * changed, that change is judged on its own.
 */
export class DeepEqual {
  constructor(
    private readonly a: PdfDocument,
    private readonly b: PdfDocument,
  ) {}

  same(x: PdfObject | undefined, y: PdfObject | undefined, depth = 0): boolean {
    if (depth > 12) return false;
    if (x instanceof PdfRef && y instanceof PdfRef && x.num === y.num && x.gen === y.gen) return true;
    if (x instanceof PdfRef || y instanceof PdfRef) {
      return this.same(x instanceof PdfRef ? this.a.get(x) : x, y instanceof PdfRef ? this.b.get(y) : y, depth + 1);
    }
    if (x === undefined || y === undefined || x === null || y === null) return x === y;
    if (Array.isArray(x) || Array.isArray(y)) {
      return (
        Array.isArray(x) &&
        Array.isArray(y) &&
        x.length === y.length &&
        x.every((v, i) => this.same(v, y[i], depth + 1))
      );
    }
    if (x instanceof PdfStream || y instanceof PdfStream) {
      if (!(x instanceof PdfStream && y instanceof PdfStream) || !this.same(x.dict, y.dict, depth + 1)) return false;
      try {
        return Buffer.from(this.a.rawStreamData(x)).equals(Buffer.from(this.b.rawStreamData(y)));
      } catch {
        return false;
      }
    }
    if (x instanceof PdfDict || y instanceof PdfDict) {
      if (!(x instanceof PdfDict && y instanceof PdfDict)) return false;
      const keys = new Set([...x.map.keys(), ...y.map.keys()]);
      return [...keys].every((k) => IGNORED_KEYS.has(k) || this.same(x.get(k), y.get(k), depth + 1));
    }
    return serialize(x) === serialize(y);
  }

  /** The keys whose values differ between two versions of a dictionary. */
  changedKeys(b: PdfDict, a: PdfDict): string[] {
    const keys = new Set([...b.map.keys(), ...a.map.keys()]);
    return [...keys].filter((k) => !IGNORED_KEYS.has(k) && !this.same(b.get(k), a.get(k)));
  }
}

/** `after` keeps every item of `before`, in order, and may add items at the end. */
export function appendOnly(before: readonly PdfObject[], after: readonly PdfObject[]): boolean {
  return after.length >= before.length && before.every((x, i) => serialize(x) === serialize(after[i]!));
}
