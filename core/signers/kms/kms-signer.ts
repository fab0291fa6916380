// A Signer whose key stays in AWS KMS (the official SDK): GetPublicKey, Sign with MessageType DIGEST.
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type KeySpec as AwsKeySpec,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { CoreError, errorMessage } from '../../errors.js';
import { hashBytes } from '../../hash/hash-file.js';
import type { KeyAlgorithm, SignatureAlgorithm, Signer } from '../signer.js';
import { defaultAlgorithmFor } from '../signer.js';

export type KmsKeyRef = { readonly keyId: string; readonly region?: string; readonly endpoint?: string };
export type KmsKeySpec = 'rsa-3072' | 'rsa-4096' | 'ec-p256' | 'ec-p384';

const AWS_SPEC: Record<KmsKeySpec, AwsKeySpec> = {
  'rsa-3072': 'RSA_3072',
  'rsa-4096': 'RSA_4096',
  'ec-p256': 'ECC_NIST_P256',
  'ec-p384': 'ECC_NIST_P384',
};

function client(ref: Omit<KmsKeyRef, 'keyId'>): KMSClient {
  // Credentials come from the SDK's standard chain (environment, profile, SSO, instance role): never from Sealdesk.
  return new KMSClient({
    region: ref.region ?? process.env.AWS_REGION ?? 'eu-west-1',
    endpoint: ref.endpoint,
    maxAttempts: 2,
  });
}

export function mapKmsError(err: unknown, doing: string): CoreError {
  if (err instanceof CoreError) return err;
  const name = (err as { name?: string }).name ?? '';
  const message = errorMessage(err);
  if (name === 'NotFoundException')
    return new CoreError('KEY_NOT_FOUND', `the KMS key was not found (${doing})`, { cause: err });
  if (name === 'DisabledException' || name === 'KMSInvalidStateException')
    return new CoreError('KEY_LOCKED', `the KMS key is disabled or pending deletion (${doing})`, { cause: err });
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'CredentialsProviderError')
    return new CoreError('KMS_ACCESS', `KMS refused access (${doing}): ${message}`, { cause: err });
  return new CoreError('KMS_ERROR', `KMS failed while ${doing}: ${name || message}`, { cause: err });
}

export class KmsSigner implements Signer {
  readonly defaultAlgorithm: SignatureAlgorithm;
  private constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
    readonly chain: readonly Uint8Array[],
    readonly keyAlgorithm: KeyAlgorithm,
  ) {
    this.defaultAlgorithm = defaultAlgorithmFor(keyAlgorithm);
  }

  /** Opens the key (GetPublicKey tells its type); `chain` is the certificate activated for it, if any. */
  static async open(ref: KmsKeyRef, chain: readonly Uint8Array[]): Promise<KmsSigner> {
    const kms = client(ref);
    try {
      const info = await kms.send(new GetPublicKeyCommand({ KeyId: ref.keyId }));
      if (info.KeyUsage && info.KeyUsage !== 'SIGN_VERIFY')
        throw new CoreError('KEY_UNSUPPORTED', `KMS key ${ref.keyId} is for ${info.KeyUsage}, not SIGN_VERIFY`);
      return new KmsSigner(kms, ref.keyId, chain, keyAlgorithmOfSpec(info.KeySpec));
    } catch (err) {
      kms.destroy();
      throw mapKmsError(err, 'reading the public key');
    }
  }

  async sign(data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
    try {
      const out = await this.kms.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: hashBytes(alg.hash, data),
          MessageType: 'DIGEST',
          SigningAlgorithm: awsAlgorithm(alg),
        }),
      );
      if (!out.Signature) throw new CoreError('KMS_ERROR', 'KMS returned no signature');
      return out.Signature; // ECDSA comes DER-encoded from KMS, as CMS wants it
    } catch (err) {
      throw mapKmsError(err, 'signing');
    }
  }

  async close(): Promise<void> {
    this.kms.destroy();
  }
}

function keyAlgorithmOfSpec(spec: string | undefined): KeyAlgorithm {
  if (spec === 'ECC_NIST_P256') return 'ec-p256';
  if (spec === 'ECC_NIST_P384') return 'ec-p384';
  if (spec?.startsWith('RSA_')) return 'rsa';
  throw new CoreError(
    'KEY_UNSUPPORTED',
    `KMS key spec ${spec} is not supported (RSA, ECC_NIST_P256 and ECC_NIST_P384 are)`,
  );
}

function awsAlgorithm(alg: SignatureAlgorithm): SigningAlgorithmSpec {
  const bits = alg.hash.slice(3);
  if (alg.scheme === 'ecdsa') return `ECDSA_SHA_${bits}` as SigningAlgorithmSpec;
  if (alg.scheme === 'rsa-pss') return `RSASSA_PSS_SHA_${bits}` as SigningAlgorithmSpec;
  return `RSASSA_PKCS1_V1_5_SHA_${bits}` as SigningAlgorithmSpec;
}

/** CreateKey for signing; returns the key's reference and public key (SPKI DER). */
export async function createKmsKey(
  ref: Omit<KmsKeyRef, 'keyId'>,
  spec: KmsKeySpec,
  description: string,
): Promise<{ ref: KmsKeyRef; spki: Uint8Array }> {
  const kms = client(ref);
  try {
    const created = await kms.send(
      new CreateKeyCommand({ KeySpec: AWS_SPEC[spec], KeyUsage: 'SIGN_VERIFY', Description: description }),
    );
    const keyId = created.KeyMetadata?.Arn ?? created.KeyMetadata?.KeyId;
    if (!keyId) throw new CoreError('KMS_ERROR', 'KMS created a key but returned no id');
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    if (!pub.PublicKey) throw new CoreError('KMS_ERROR', 'KMS returned no public key');
    return { ref: { ...ref, keyId }, spki: pub.PublicKey };
  } catch (err) {
    throw mapKmsError(err, 'creating a key');
  } finally {
    kms.destroy();
  }
}

/** `cert revoke --destroy-key`: schedules deletion after KMS's waiting period (7 days, the seed's grace). */
export async function scheduleKmsKeyDeletion(ref: KmsKeyRef): Promise<void> {
  const kms = client(ref);
  try {
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: ref.keyId, PendingWindowInDays: 7 }));
  } catch (err) {
    throw mapKmsError(err, 'scheduling the key deletion');
  } finally {
    kms.destroy();
  }
}
