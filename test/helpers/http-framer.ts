// HTTP/1.1 message framing for the cut proxy (test/helpers/cut-proxy.ts): where each request or response on a
// kept-alive connection ends — after its head and a Content-Length body, a chunked body with its trailers, or (a
// response without either) at the close — so that the proxy can count messages and cut one after exactly k bytes.
const CRLF2 = Buffer.from('\r\n\r\n');

/** Frames successive HTTP/1.1 messages in one direction of a connection. */
export class Framer {
  private head = Buffer.alloc(0);
  private phase: 'head' | 'body' | 'chunk-line' | 'chunk-data' | 'trailers' | 'to-close' = 'head';
  private left = 0;
  private line = '';
  /** Bytes of the current message taken so far; 0 between messages. */
  offset = 0;

  constructor(
    private readonly isResponse: boolean,
    private readonly onHead: (head: string) => void,
  ) {}

  /** Takes bytes of the current message from buf[pos…]: how many, and whether the message is complete. */
  take(buf: Buffer, pos: number): { n: number; done: boolean } {
    let i = pos;
    while (i < buf.length) {
      if (this.phase === 'head') {
        const prev = this.head.length;
        this.head = Buffer.concat([this.head, buf.subarray(i)]);
        const end = this.head.indexOf(CRLF2, Math.max(0, prev - 3));
        if (end < 0) {
          i = buf.length;
          break;
        }
        i += end + 4 - prev;
        const head = this.head.subarray(0, end + 4).toString('latin1');
        this.head = Buffer.alloc(0);
        this.startBody(head);
        if (this.phase === 'head') return this.finish(i - pos);
      } else if (this.phase === 'body' || this.phase === 'chunk-data') {
        const n = Math.min(this.left, buf.length - i);
        i += n;
        this.left -= n;
        if (this.left > 0) break;
        if (this.phase === 'body') {
          this.phase = 'head';
          return this.finish(i - pos);
        }
        this.phase = 'chunk-line';
      } else if (this.phase === 'to-close') {
        i = buf.length;
      } else {
        const c = buf[i++]!;
        if (c !== 0x0a) {
          this.line += String.fromCharCode(c);
          continue;
        }
        const text = this.line.replace(/\r$/, '');
        this.line = '';
        if (this.phase === 'trailers') {
          if (text === '') {
            this.phase = 'head';
            return this.finish(i - pos);
          }
        } else {
          const size = parseInt(text.split(';')[0]!, 16);
          this.phase = size === 0 ? 'trailers' : 'chunk-data';
          this.left = size + 2; // the data and its CRLF
        }
      }
    }
    this.offset += i - pos;
    return { n: i - pos, done: false };
  }

  private finish(n: number): { n: number; done: boolean } {
    this.offset = 0;
    return { n, done: true };
  }

  private startBody(head: string): void {
    this.onHead(head);
    const h = (name: string) => new RegExp(`\\r\\n${name}:\\s*([^\\r]*)`, 'i').exec(head)?.[1]?.trim();
    const status = this.isResponse ? Number(head.slice(9, 12)) : 0;
    if (this.isResponse && (status < 200 || status === 204 || status === 304)) this.phase = 'head';
    else if (/chunked/i.test(h('transfer-encoding') ?? '')) this.phase = 'chunk-line';
    else if (h('content-length') !== undefined) {
      this.left = Number(h('content-length'));
      this.phase = this.left > 0 ? 'body' : 'head';
    } else this.phase = this.isResponse ? 'to-close' : 'head';
  }
}
