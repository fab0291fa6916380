// Attacks on what a viewer shows after a signature, each one incremental revision appended to a signed PDF: the signed
// bytes stay untouched (so pdfsig still calls the original signature valid), the document a viewer draws does not.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  IncrementBuilder,
  NewStream,
  PdfDict,
  PdfDocument,
  PdfRef,
  PdfString,
  name,
  pageRef,
  type PdfObject,
} from '../../core/pdf/index.js';
import { indirectObject, serialize } from '../../core/pdf/serialize.js';
import { appendRevision } from './pdf-attacks.js';

export type ChangeAttack = {
  readonly name: string;
  /** What the base document must have been built with (see minimalPdf), or a certified (DocMDP P=1) file. */
  readonly needs?: 'certified';
  /** How the report must name the change. */
  readonly named: RegExp;
  readonly make: (signed: string, out: string) => void;
};

/** A Form XObject that paints a white box with text, `w` × `h` points. */
const stamp = (w: number, h: number, text: string) =>
  new NewStream(
    PdfDict.of({
      Type: name('XObject'),
      Subtype: name('Form'),
      BBox: [0, 0, w, h],
      Resources: PdfDict.of({ Font: PdfDict.of({ F1: helvetica() }) }),
    }),
    Buffer.from(`1 1 1 rg 0 0 ${w} ${h} re f 0 g BT /F1 14 Tf 4 6 Td (${text}) Tj ET`, 'latin1'),
  );
const helvetica = () => PdfDict.of({ Type: name('Font'), Subtype: name('Type1'), BaseFont: name('Helvetica') });
const pageText = (text: string) =>
  new NewStream(new PdfDict(), Buffer.from(`BT /F1 24 Tf 72 700 Td (${text}) Tj ET`, 'latin1'));

/** Over the signed text of page 1 of the test documents (minimalPdf draws at y 730–780). */
const OVER_TEXT: [number, number, number, number] = [60, 720, 420, 790];

export const CHANGE_ATTACKS: readonly ChangeAttack[] = [
  {
    name: 'a new catalog with a new page tree (the old /AcroForm kept)',
    named: /another document catalog/,
    make: newCatalog,
  },
  {
    name: 'the /Pages node replaced (its page swapped for a new one)',
    named: /the page tree changed/,
    make: (f, o) => editPages(f, o, (_kids, page) => ({ Kids: [page], Count: 1 })),
  },
  {
    name: 'a page added',
    named: /the page tree changed/,
    make: (f, o) => editPages(f, o, (kids, page) => ({ Kids: [...kids, page], Count: kids.length + 1 })),
  },
  {
    name: 'a page inserted before page 1',
    named: /the page tree changed/,
    make: (f, o) => editPages(f, o, (kids, page) => ({ Kids: [page, ...kids], Count: kids.length + 1 })),
  },
  {
    name: 'an opaque signature widget over the text, in an indirect /Annots, with no /P',
    named: /draws over the signed page content/,
    make: (f, o) => overlay(f, o, null),
  },
  {
    name: 'an opaque signature widget over the text, in an indirect /Annots, /P naming another object',
    named: /draws over the signed page content/,
    make: (f, o) => overlay(f, o, new PdfRef(4, 0)),
  },
  {
    name: 'a reference the signed revision made but never defined, defined later (page 1 draws /X1 = object 500)',
    named: /object 500 was referred to but not defined when signed/,
    make: (f, o) => defineLater(f, o, 500),
  },
  {
    name: "a later /Prev into the signed bytes that skips the signed revision's own section",
    named: /does not lead back to the signed revision/,
    make: prevIntoSigned,
  },
  {
    name: 'an /XFA form added',
    named: /XFA/,
    make: (f, o) =>
      editAcroForm(f, o, (af, b) => af.with({ XFA: b.add(new NewStream(new PdfDict(), Buffer.from('<xdp:xdp/>'))) })),
  },
  {
    name: 'an /OpenAction with JavaScript added',
    named: /catalog changed \(OpenAction\)/,
    make: (f, o) =>
      editCatalog(f, o, () => ({
        OpenAction: PdfDict.of({ S: name('JavaScript'), JS: PdfString.text("app.alert('Paid in full')") }),
      })),
  },
  {
    name: 'an embedded file added',
    named: /catalog changed \(Names\)/,
    make: (f, o) =>
      editCatalog(f, o, (b) => {
        const file = b.add(new NewStream(PdfDict.of({ Type: name('EmbeddedFile') }), Buffer.from('MZ not really')));
        const spec = PdfDict.of({
          Type: name('Filespec'),
          F: PdfString.text('invoice.exe'),
          EF: PdfDict.of({ F: file }),
        });
        return {
          Names: PdfDict.of({ EmbeddedFiles: PdfDict.of({ Names: [PdfString.text('invoice.exe'), b.add(spec)] }) }),
        };
      }),
  },
  {
    name: 'DocMDP P=1 plus an annotation on blank space',
    needs: 'certified',
    named: /the certification forbids/,
    make: (f, o) => annotate(f, o, 'FreeText', [20, 20, 60, 40]),
  },
  {
    name: 'DocMDP P=1 plus a new signature field',
    needs: 'certified',
    named: /DocMDP P=1\) forbids/,
    make: (f, o) =>
      editAcroForm(f, o, (af, b, doc) => {
        const fields = doc.resolve(af.get('Fields'));
        const field = b.add(
          PdfDict.of({
            FT: name('Sig'),
            T: PdfString.text('Later'),
            Rect: [0, 0, 0, 0],
            Subtype: name('Widget'),
            F: 132,
          }),
        );
        return af.with({ Fields: [...(Array.isArray(fields) ? fields : []), field] });
      }),
  },
];

function newCatalog(file: string, out: string): void {
  let oldRoot = 0;
  let newRoot = 0;
  appendRevision(file, out, (doc, b) => {
    oldRoot = (doc.trailer.get('Root') as PdfRef).num;
    const pages = b.reserve();
    const page = b.add(
      PdfDict.of({
        Type: name('Page'),
        Parent: pages,
        MediaBox: [0, 0, 595, 842],
        Contents: b.add(pageText('PAID IN FULL')),
        Resources: fontResources(),
      }),
    );
    b.set(pages, PdfDict.of({ Type: name('Pages'), Kids: [page], Count: 1 }));
    newRoot = b.add(doc.catalog.with({ Pages: pages })).num;
  });
  // The writer keeps the trailer's /Root; an attacker's writer need not.
  const bytes = readFileSync(out);
  const at = bytes.lastIndexOf(`/Root ${oldRoot} 0 R`);
  writeFileSync(
    out,
    Buffer.concat([
      bytes.subarray(0, at),
      Buffer.from(`/Root ${newRoot} 0 R`),
      bytes.subarray(at + `/Root ${oldRoot} 0 R`.length),
    ]),
  );
}

type Builder = IncrementBuilder;

const fontResources = () => PdfDict.of({ Font: PdfDict.of({ F1: helvetica() }) });

function editPages(
  file: string,
  out: string,
  edit: (kids: PdfObject[], page: PdfRef) => Record<string, PdfObject>,
): void {
  appendRevision(file, out, (doc, b) => {
    const pagesRef = doc.catalog.get('Pages') as PdfRef;
    const pages = doc.dict(pagesRef)!;
    const page = b.add(
      PdfDict.of({
        Type: name('Page'),
        Parent: pagesRef,
        MediaBox: [0, 0, 595, 842],
        Contents: b.add(pageText('PAID IN FULL')),
        Resources: fontResources(),
      }),
    );
    const kids = doc.resolve(pages.get('Kids'));
    b.set(pagesRef, pages.with(edit(Array.isArray(kids) ? kids : [], page)));
  });
}

/** A signature widget (allowed on blank space) whose appearance covers the text, added to page 1's /Annots array object. */
function overlay(file: string, out: string, p: PdfRef | null): void {
  appendRevision(file, out, (doc, b) => {
    const annotsRef = doc.dict(pageRef(doc, 0))!.get('Annots');
    if (!(annotsRef instanceof PdfRef))
      throw new Error("the base document's page 1 has no /Annots array object (minimalPdf({ annotsRef: true }))");
    const [x0, y0, x1, y1] = OVER_TEXT;
    const widget: Record<string, PdfObject> = {
      Type: name('Annot'),
      Subtype: name('Widget'),
      FT: name('Sig'),
      T: PdfString.text('Approval'),
      F: 4,
      Rect: OVER_TEXT,
      AP: PdfDict.of({ N: b.add(stamp(x1 - x0, y1 - y0, 'PAID IN FULL')) }),
    };
    if (p) widget.P = p;
    const list = doc.resolve(annotsRef) as PdfObject[];
    b.set(annotsRef, [...list, b.add(PdfDict.of(widget))]);
  });
}

function defineLater(file: string, out: string, num: number): void {
  appendRevision(file, out, (doc, b) => {
    while (b.reserve().num <= num); // /Size must cover the object
    const s = stamp(400, 40, 'PAID IN FULL');
    b.set(new PdfRef(num, 0), new NewStream(s.dict.with({ Matrix: [1, 0, 0, 1, 72, 600] }), s.data));
  });
}

function editCatalog(file: string, out: string, entries: (b: Builder) => Record<string, PdfObject>): void {
  appendRevision(file, out, (doc, b) => b.set(doc.trailer.get('Root') as PdfRef, doc.catalog.with(entries(b))));
}

function editAcroForm(file: string, out: string, edit: (af: PdfDict, b: Builder, doc: PdfDocument) => PdfDict): void {
  appendRevision(file, out, (doc, b) => {
    const ref = doc.catalog.get('AcroForm');
    const af = doc.dict(ref)!;
    if (ref instanceof PdfRef) b.set(ref, edit(af, b, doc));
    else b.set(doc.trailer.get('Root') as PdfRef, doc.catalog.with({ AcroForm: edit(af, b, doc) }));
  });
}

/** An annotation of `subtype` on page 1 (its /Annots extended where it lives). */
export function annotate(file: string, out: string, subtype: string, rect: [number, number, number, number]): void {
  appendRevision(file, out, (doc, b) => {
    const page = pageRef(doc, 0);
    const annot = b.add(
      PdfDict.of({
        Type: name('Annot'),
        Subtype: name(subtype),
        Rect: rect,
        Contents: PdfString.text('Approved'),
        DA: PdfString.text('/Helv 10 Tf 0 g'),
        F: 4,
      }),
    );
    const pd = doc.dict(page)!;
    const annots = pd.get('Annots');
    const list = doc.resolve(annots);
    const next = [...(Array.isArray(list) ? list : []), annot];
    if (annots instanceof PdfRef) b.set(annots, next);
    else b.set(page, pd.with({ Annots: next }));
  });
}

/**
 * A revision whose /Prev skips the signed revision's cross-reference section and points at the one before it, while
 * its own table lists the signature's objects where they are: every reader still finds the signature, but reads the
 * document through a chain the signer never wrote.
 */
function prevIntoSigned(file: string, out: string): void {
  const doc = PdfDocument.openFile(file);
  try {
    const [signedSection, older] = doc.sections;
    if (!signedSection || !older || signedSection.kind !== 'table')
      throw new Error('needs a signed revision with an xref table over an earlier one');
    const bytes = readFileSync(file);
    const page = pageRef(doc, 0);
    const content = new PdfRef(doc.size, 0);
    const objects = [
      indirectObject(content, pageText('PAID IN FULL')),
      indirectObject(page, doc.dict(page)!.with({ Contents: content })),
    ];
    const entries = new Map<number, [number, number]>();
    for (const [n, e] of signedSection.entries) if (e.type === 'offset') entries.set(n, [e.offset, e.gen]);
    let at = bytes.length + 1;
    for (const [ref, o] of [
      [content, objects[0]!],
      [page, objects[1]!],
    ] as const) {
      entries.set(ref.num, [at, ref.gen]);
      at += o.length;
    }
    let xref = 'xref\n';
    for (const [n, [off, gen]] of [...entries].sort((a, b) => a[0] - b[0]))
      xref += `${n} 1\n${String(off).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
    const trailer = PdfDict.of({ Size: doc.size + 1, Root: doc.trailer.get('Root')!, Prev: older.offset });
    xref += `trailer\n${serialize(trailer)}\nstartxref\n${at}\n%%EOF\n`;
    writeFileSync(out, Buffer.concat([bytes, Buffer.from('\n'), ...objects, Buffer.from(xref, 'latin1')]));
  } finally {
    doc.close();
  }
}

export type FillMode = 'new-appearance' | 'reuse-appearance' | 'reuse-page-content' | 'appearance-only';

/**
 * Fills in the text field "Amount" the way viewers do (its /V and a drawn appearance) — or, for the negative cases,
 * redraws its appearance without a new value, or writes the appearance into page 1's content stream object.
 */
export function fillField(file: string, out: string, value: string, mode: FillMode): void {
  appendRevision(file, out, (doc, b) => {
    const af = doc.dict(doc.catalog.get('AcroForm'))!;
    const fields = doc.resolve(af.get('Fields')) as PdfObject[];
    const ref = fields.find((r) => r instanceof PdfRef && doc.dict(r)?.get('FT') === name('Tx')) as PdfRef;
    const field = doc.dict(ref)!;
    const ap = doc.dict(field.get('AP'))!.get('N') as PdfRef;
    const drawn = new NewStream(doc.dict(ap)!, Buffer.from(`BT /Helv 12 Tf 4 8 Td (${value}) Tj ET`, 'latin1'));
    if (mode === 'new-appearance')
      b.set(ref, field.with({ V: PdfString.text(value), AP: PdfDict.of({ N: b.add(drawn) }) }));
    if (mode === 'reuse-appearance' || mode === 'appearance-only') b.set(ap, drawn);
    if (mode === 'reuse-appearance') b.set(ref, field.with({ V: PdfString.text(value) }));
    if (mode === 'reuse-page-content') {
      const content = doc.dict(pageRef(doc, 0))!.get('Contents') as PdfRef;
      b.set(content, new NewStream(new PdfDict(), Buffer.from(`BT /F1 18 Tf 72 760 Td (${value}) Tj ET`, 'latin1')));
      b.set(ref, field.with({ V: PdfString.text(value), AP: PdfDict.of({ N: content }) }));
    }
  });
}
