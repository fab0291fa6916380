// The change rules on documents built revision by revision with core/pdf's writer: DocMDP P=1/2/3, FieldMDP locks,
// metadata, the AcroForm's flags, deletions — each judged over the object graph between a "signed" revision and now.
import { describe, expect, it } from 'vitest';
import {
  BytesSource,
  IncrementBuilder,
  NewStream,
  PdfDict,
  PdfDocument,
  PdfRef,
  PdfString,
  changesAfter,
  docMdpPermission,
  name,
  pageRef,
  type Change,
  type PdfObject,
} from '../../../core/pdf/index.js';
import { minimalPdf } from '../../helpers/pdfs.js';

type Edit = (doc: PdfDocument, b: IncrementBuilder) => void;

function append(bytes: Buffer, edit: Edit): Buffer {
  const doc = PdfDocument.open(new BytesSource(bytes));
  const b = new IncrementBuilder(doc);
  edit(doc, b);
  return Buffer.concat([bytes, b.build(bytes.length, true).bytes]);
}

/** The changes `later` makes to `signed` (a whole revision), as verification judges them. */
function judge(signed: Buffer, later: Edit, locked?: (name: string) => boolean): Change[] {
  const current = append(signed, later);
  const s = PdfDocument.open(new BytesSource(signed));
  return changesAfter(s, PdfDocument.open(new BytesSource(current)), {
    signedEnd: signed.length,
    docMdp: docMdpPermission(s),
    locked,
  });
}

const forbidden = (changes: Change[]) => changes.filter((c) => !c.allowed).map((c) => c.detail);

/** A certification signature's DocMDP transform (the signature value itself does not matter to the change rules). */
function certified(p: 1 | 2 | 3, base = minimalPdf()): Buffer {
  return append(base, (doc, b) => {
    const params = PdfDict.of({ Type: name('TransformParams'), P: p, V: name('1.2') });
    const sig = b.add(
      PdfDict.of({
        Type: name('Sig'),
        Reference: [PdfDict.of({ Type: name('SigRef'), TransformMethod: name('DocMDP'), TransformParams: params })],
      }),
    );
    b.set(doc.trailer.get('Root') as PdfRef, doc.catalog.with({ Perms: PdfDict.of({ DocMDP: sig }) }));
  });
}

/** A new signature field with an invisible widget on page 1, valued as a signature or a document time-stamp. */
function addSignatureField(kind: 'signature' | 'dts'): Edit {
  return (doc, b) => {
    const page = pageRef(doc, 0);
    const value = b.add(
      PdfDict.of(
        kind === 'dts'
          ? { Type: name('DocTimeStamp'), SubFilter: name('ETSI.RFC3161') }
          : { Type: name('Sig'), SubFilter: name('ETSI.CAdES.detached') },
      ),
    );
    const field = b.add(
      PdfDict.of({
        FT: name('Sig'),
        T: PdfString.text(kind),
        V: value,
        Type: name('Annot'),
        Subtype: name('Widget'),
        Rect: [0, 0, 0, 0],
        F: 132,
        P: page,
      }),
    );
    const af = doc.dict(doc.catalog.get('AcroForm'));
    const fields = doc.resolve(af?.get('Fields'));
    b.set(
      doc.trailer.get('Root') as PdfRef,
      doc.catalog.with({
        AcroForm: (af ?? new PdfDict()).with({
          Fields: [...(Array.isArray(fields) ? fields : []), field],
          SigFlags: 3,
        }),
      }),
    );
    const pd = doc.dict(page)!;
    b.set(page, pd.with({ Annots: [...((doc.resolve(pd.get('Annots')) as PdfObject[] | undefined) ?? []), field] }));
  };
}

function freeText(rect: number[]): Edit {
  return (doc, b) => {
    const page = pageRef(doc, 0);
    const annot = b.add(
      PdfDict.of({
        Type: name('Annot'),
        Subtype: name('FreeText'),
        Rect: rect,
        Contents: PdfString.text('note'),
        DA: PdfString.text('/Helv 10 Tf'),
      }),
    );
    const pd = doc.dict(page)!;
    b.set(page, pd.with({ Annots: [annot] }));
  };
}

describe('DocMDP', () => {
  it('P=1 allows a document time-stamp (field and widget) and nothing else', () => {
    const signed = certified(1);
    expect(docMdpPermission(PdfDocument.open(new BytesSource(signed)))).toBe(1);
    const dts = judge(signed, addSignatureField('dts'));
    expect(forbidden(dts)).toEqual([]);
    expect(dts.map((c) => c.kind)).toContain('document-timestamp');
    expect(forbidden(judge(signed, addSignatureField('signature'))).join('\n')).toMatch(/DocMDP P=1\) forbids/);
    expect(forbidden(judge(signed, freeText([20, 20, 60, 40]))).join('\n')).toMatch(/the certification forbids/);
  });

  it('P=2 and an uncertified document allow a new signature, not an annotation', () => {
    for (const signed of [certified(2), minimalPdf()]) {
      expect(forbidden(judge(signed, addSignatureField('signature')))).toEqual([]);
      expect(forbidden(judge(signed, freeText([20, 20, 60, 40]))).join('\n')).toMatch(
        /annotation was added after signing/,
      );
    }
  });

  it('P=3 allows an annotation on blank space, never one over the signed text', () => {
    expect(forbidden(judge(certified(3), freeText([20, 20, 60, 40])))).toEqual([]);
    expect(forbidden(judge(certified(3), freeText([60, 720, 400, 790]))).join('\n')).toMatch(
      /draws over the signed page content/,
    );
  });
});

describe('forms', () => {
  const form = minimalPdf({ textField: true });
  const fill: Edit = (doc, b) => {
    const fields = doc.resolve(doc.dict(doc.catalog.get('AcroForm'))!.get('Fields')) as PdfRef[];
    b.set(fields[0]!, doc.dict(fields[0]!)!.with({ V: PdfString.text('42') }));
  };

  it('filling a field is allowed, unless the signature locks it (FieldMDP) or a certification forbids it', () => {
    expect(judge(form, fill).map((c) => [c.kind, c.allowed])).toEqual([['form-fill', true]]);
    expect(forbidden(judge(form, fill, (n) => n === 'Amount')).join('\n')).toMatch(
      /"Amount" was filled in, but the signature locks it/,
    );
    expect(forbidden(judge(form, fill, (n) => n === 'Other'))).toEqual([]);
    expect(forbidden(judge(certified(1, form), fill)).join('\n')).toMatch(/certification \(DocMDP P=1\) forbids/);
  });

  it('the AcroForm: /SigFlags may change, /NeedAppearances true and /XFA may not, nor a new text field', () => {
    const edit =
      (entries: (b: IncrementBuilder, doc: PdfDocument) => Record<string, PdfObject>): Edit =>
      (doc, b) => {
        const ref = doc.catalog.get('AcroForm') as PdfRef;
        b.set(ref, doc.dict(ref)!.with(entries(b, doc)));
      };
    expect(
      forbidden(
        judge(
          form,
          edit(() => ({ SigFlags: 3 })),
        ),
      ),
    ).toEqual([]);
    expect(
      forbidden(
        judge(
          form,
          edit(() => ({ NeedAppearances: true })),
        ),
      ).join('\n'),
    ).toMatch(/NeedAppearances true/);
    expect(
      forbidden(
        judge(
          form,
          edit((b) => ({ XFA: b.add(new NewStream(new PdfDict(), Buffer.from('<xdp/>'))) })),
        ),
      ).join('\n'),
    ).toMatch(/XFA/);
    const textField = edit((b, doc) => {
      const fields = doc.resolve(doc.dict(doc.catalog.get('AcroForm'))!.get('Fields')) as PdfObject[];
      return { Fields: [...fields, b.add(PdfDict.of({ FT: name('Tx'), T: PdfString.text('New') }))] };
    });
    expect(forbidden(judge(form, textField)).join('\n')).toMatch(/a form field \(Tx\) was added/);
  });
});

describe('the object graph', () => {
  it('/Info and XMP metadata changes are reported and allowed', () => {
    const changes = judge(minimalPdf(), (doc, b) => {
      b.set(doc.trailer.get('Info') as PdfRef, PdfDict.of({ Title: PdfString.text('Renamed') }));
      b.set(
        doc.trailer.get('Root') as PdfRef,
        doc.catalog.with({
          Metadata: b.add(
            new NewStream(PdfDict.of({ Type: name('Metadata'), Subtype: name('XML') }), Buffer.from('<x/>')),
          ),
        }),
      );
    });
    expect(forbidden(changes)).toEqual([]);
    expect(changes.map((c) => c.kind)).toEqual(['metadata', 'metadata']);
  });

  it('an object changed but reached by nothing is not judged; a page content stream changed is', () => {
    const withHidden = minimalPdf({ hidden: 'unused' });
    const hiddenNum = PdfDocument.open(new BytesSource(withHidden)).size - 1;
    expect(
      judge(withHidden, (_, b) => b.set(new PdfRef(hiddenNum, 0), new NewStream(new PdfDict(), Buffer.from('BT ET')))),
    ).toEqual([]);
    const replaced = judge(withHidden, (doc, b) =>
      b.set(doc.dict(pageRef(doc, 0))!.get('Contents') as PdfRef, new NewStream(new PdfDict(), Buffer.from('BT ET'))),
    );
    expect(forbidden(replaced).join('\n')).toMatch(/stream object \d+ .* was replaced/);
  });
});
