// A KMS-compatible endpoint on loopback (AWS JSON 1.1, TrentService.*) whose keys live on a SoftHSM2 token,
// so the official SDK's real wire format is exercised. CreateKey, GetPublicKey, Sign (DIGEST), ScheduleKeyDeletion.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as pkcs11js from 'pkcs11js';
import { rawEcdsaToDer } from '../../core/asn1/ecdsa.js';
import { generateTokenKey, withModule, findSlot, login, logout } from '../../core/signers/pkcs11/index.js';
import type { SoftHsmToken } from './softhsm.js';

type Key = { id: string; spec: string; tokenKey: string; spki: Uint8Array; state: 'Enabled' | 'PendingDeletion' };

const SPEC_TO_TOKEN: Record<string, 'ec-p256' | 'ec-p384' | 'rsa-3072' | 'rsa-4096'> = {
  ECC_NIST_P256: 'ec-p256',
  ECC_NIST_P384: 'ec-p384',
  RSA_3072: 'rsa-3072',
  RSA_4096: 'rsa-4096',
};
const DIGEST_INFO: Record<string, string> = {
  '256': '3031300d060960864801650304020105000420',
  '384': '3041300d060960864801650304020205000430',
  '512': '3051300d060960864801650304020305000440',
};

export type LoopbackKms = {
  readonly url: string;
  readonly calls: string[];
  readonly keys: Map<string, Key>;
  close(): Promise<void>;
};

export async function startKms(token: SoftHsmToken): Promise<LoopbackKms> {
  const keys = new Map<string, Key>();
  const calls: string[] = [];
  const handlers: Record<string, (b: Record<string, string>) => Promise<object>> = {
    CreateKey: async (b) => {
      const spec = SPEC_TO_TOKEN[b.KeySpec!];
      if (!spec || b.KeyUsage !== 'SIGN_VERIFY')
        throw fault('ValidationException', `unsupported ${b.KeySpec}/${b.KeyUsage}`);
      const id = crypto.randomUUID();
      const g = await generateTokenKey(token.module, token.label, `kms-${id}`, spec, token.pin);
      keys.set(id, { id, spec: b.KeySpec!, tokenKey: g.ref.key, spki: g.spki, state: 'Enabled' });
      return {
        KeyMetadata: { KeyId: id, Arn: arn(id), KeySpec: b.KeySpec, KeyUsage: 'SIGN_VERIFY', KeyState: 'Enabled' },
      };
    },
    GetPublicKey: async (b) => {
      const k = find(b.KeyId!);
      return {
        KeyId: arn(k.id),
        PublicKey: Buffer.from(k.spki).toString('base64'),
        KeySpec: k.spec,
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: [],
      };
    },
    Sign: async (b) => {
      const k = find(b.KeyId!);
      if (k.state !== 'Enabled') throw fault('KMSInvalidStateException', `${arn(k.id)} is pending deletion`);
      if (b.MessageType !== 'DIGEST') throw fault('ValidationException', 'this test endpoint signs digests only');
      const digest = Buffer.from(b.Message!, 'base64');
      const bits = b.SigningAlgorithm!.slice(-3);
      const ecdsa = b.SigningAlgorithm!.startsWith('ECDSA');
      const input = ecdsa ? digest : Buffer.concat([Buffer.from(DIGEST_INFO[bits]!, 'hex'), digest]);
      const sig = await signOnToken(token, k.tokenKey, ecdsa ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS, input);
      return {
        KeyId: arn(k.id),
        Signature: Buffer.from(ecdsa ? rawEcdsaToDer(sig) : sig).toString('base64'),
        SigningAlgorithm: b.SigningAlgorithm,
      };
    },
    ScheduleKeyDeletion: async (b) => {
      const k = find(b.KeyId!);
      k.state = 'PendingDeletion';
      return { KeyId: arn(k.id), KeyState: 'PendingDeletion', PendingWindowInDays: Number(b.PendingWindowInDays) };
    },
  };
  const find = (keyId: string): Key => {
    const k = keys.get(keyId.split('/').pop()!);
    if (!k) throw fault('NotFoundException', `Key '${keyId}' does not exist`);
    return k;
  };
  const server = createServer((req, res) => void handle(req, res));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '').replace('TrentService.', '');
    calls.push(
      `${target} ${req.headers['content-type']} ${req.headers.authorization?.startsWith('AWS4-HMAC-SHA256') ? 'sigv4' : 'unsigned'}`,
    );
    try {
      const handler = handlers[target];
      if (!handler) throw fault('UnknownOperationException', target);
      const out = await handler(JSON.parse(Buffer.concat(chunks).toString() || '{}'));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out));
    } catch (err) {
      const e = err as { __type?: string; message: string };
      res
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ __type: e.__type ?? 'InternalFailure', message: e.message }));
    }
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    calls,
    keys,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function arn(id: string): string {
  return `arn:aws:kms:eu-north-1:111122223333:key/${id}`;
}

function fault(type: string, message: string): Error & { __type: string } {
  return Object.assign(new Error(message), { __type: type });
}

function signOnToken(token: SoftHsmToken, keyRef: string, mechanism: number, input: Buffer): Promise<Uint8Array> {
  return withModule(token.module, (p) => {
    const session = p.C_OpenSession(findSlot(p, token.label), pkcs11js.CKF_SERIAL_SESSION);
    try {
      login(p, session, token.pin);
      p.C_FindObjectsInit(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from(keyRef.slice(3), 'hex') },
      ]);
      const [key] = p.C_FindObjects(session, 1);
      p.C_FindObjectsFinal(session);
      p.C_SignInit(session, { mechanism }, key!);
      const sig = new Uint8Array(p.C_Sign(session, input, Buffer.alloc(1024)));
      logout(p, session);
      return sig;
    } finally {
      p.C_CloseSession(session);
    }
  });
}
